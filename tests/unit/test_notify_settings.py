"""notify's digest hour: a WIB hour, or off (digests only by command)."""

import pytest

from services.notify.settings import TEMPLATE_KINDS, digest_hour, template_dir
from services.notify.usecases import TEMPLATE_DIR


@pytest.mark.parametrize("value, hour", [(7, 7), ("0", 0), ("23", 23), ("off", None), (False, None), ("OFF", None)])
def test_the_digest_hour_is_an_hour_or_off(value, hour):
    assert digest_hour(value) == hour


@pytest.mark.parametrize("value", ["24", "-1", "pagi"])
def test_anything_else_is_refused_at_start(value):
    with pytest.raises(ValueError):
        digest_hour(value)


def test_without_a_folder_the_shipped_templates_are_used():
    assert template_dir("") == TEMPLATE_DIR
    assert "bkppd_forwarded" in TEMPLATE_KINDS and "reporter_update" in TEMPLATE_KINDS


def test_an_operators_folder_with_every_template_is_taken(tmp_path):
    for kind in TEMPLATE_KINDS:
        (tmp_path / f"{kind}.txt").write_text("Subject: x\n\nisi\n", encoding="utf-8")
    assert template_dir(str(tmp_path)) == tmp_path


def test_an_operators_folder_missing_a_template_is_refused_at_start_naming_it(tmp_path):
    for kind in TEMPLATE_KINDS[1:]:
        (tmp_path / f"{kind}.txt").write_text("Subject: x\n\nisi\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{TEMPLATE_KINDS[0]}.txt"):
        template_dir(str(tmp_path))
