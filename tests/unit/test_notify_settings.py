"""notify's settings: the digest hour (a WIB hour, or off), the template folder, and the
combinations refused at start (a password over plain SMTP, an unsigned webhook)."""

from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.digest_hour import digest_due, last_digest_moment
from services.notify.settings import TEMPLATE_KINDS, digest_hour, outbound, template_dir
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


# --- settings refused at start ------------------------------------------------------------

BASE = {"NETRA_SMTP_HOST": "smtp.bengkaliskab.go.id", "NETRA_SMTP_PORT": "587",
        "NETRA_MAIL_FROM": "netra@bengkaliskab.go.id", "NETRA_PORTAL_URL": "https://netra.example.id",
        "NETRA_TEAM_URL": "https://tim.netra.example.id", "NETRA_BKPPD_EMAIL": "bkppd@bengkaliskab.go.id"}
LOGIN = {"NETRA_SMTP_USERNAME": "netra", "NETRA_SMTP_PASSWORD": "kata-sandi-relay"}


def test_a_login_over_plain_smtp_is_refused_at_start_in_words_an_operator_can_act_on():
    with pytest.raises(ValueError) as refused:
        outbound({**BASE, **LOGIN})
    words = str(refused.value)
    assert "NETRA_SMTP_STARTTLS" in words and "NETRA_SMTP_TLS" in words and "plain text" in words
    assert "NETRA_SMTP_ALLOW_PLAINTEXT_AUTH=yes" in words and "kata-sandi-relay" not in words


@pytest.mark.parametrize("extra", [
    {"NETRA_SMTP_STARTTLS": "true"},
    {"NETRA_SMTP_TLS": "yes"},
    {"NETRA_SMTP_ALLOW_PLAINTEXT_AUTH": "yes"},
    {"NETRA_SMTP_ALLOW_PLAINTEXT_AUTH": True},  # nameko reads a bare `yes` in YAML as True
])
def test_a_login_is_taken_over_tls_or_when_plain_text_is_allowed_on_purpose(extra):
    assert outbound({**BASE, **LOGIN, **extra}).smtp.username == "netra"


def test_plain_smtp_without_a_login_is_taken():
    assert outbound(BASE).smtp.username is None


def test_a_webhook_without_a_secret_is_refused_at_start():
    with pytest.raises(ValueError, match="NETRA_BKPPD_WEBHOOK_SECRET"):
        outbound({**BASE, "NETRA_BKPPD_WEBHOOK_URL": "https://bkppd.example.id/netra"})


def test_a_webhook_with_its_secret_is_taken_and_a_secret_alone_sends_no_webhook():
    both = outbound({**BASE, "NETRA_BKPPD_WEBHOOK_URL": "https://bkppd.example.id/netra",
                     "NETRA_BKPPD_WEBHOOK_SECRET": "rahasia-bersama"})
    assert both.webhook.enabled
    assert not outbound({**BASE, "NETRA_BKPPD_WEBHOOK_SECRET": "rahasia-bersama"}).webhook.enabled


# --- the digest hour ----------------------------------------------------------------------

WIB_0730 = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)  # 07.30 WIB


@pytest.mark.parametrize("now, hour, moment", [
    (WIB_0730, 7, datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),        # today's 07.00 WIB has struck
    (WIB_0730, 8, datetime(2026, 11, 23, 1, 0, tzinfo=UTC)),        # not yet: yesterday's 08.00
    (WIB_0730, 0, datetime(2026, 11, 23, 17, 0, tzinfo=UTC)),       # midnight WIB is 17.00 UTC
    (datetime(2026, 11, 24, 0, 0, tzinfo=UTC), 7, datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),
])
def test_the_digest_moment_is_the_latest_digest_hour_in_wib(now, hour, moment):
    assert last_digest_moment(now, hour) == moment


def test_a_digest_is_due_once_per_digest_moment():
    moment = last_digest_moment(WIB_0730, 7)
    assert digest_due(None, moment)
    assert digest_due(moment - timedelta(days=1), moment)
    assert not digest_due(moment + timedelta(seconds=3), moment)
