"""notify's digest hour: a WIB hour, or off (digests only by command)."""

import pytest

from services.notify.settings import digest_hour


@pytest.mark.parametrize("value, hour", [(7, 7), ("0", 0), ("23", 23), ("off", None), (False, None), ("OFF", None)])
def test_the_digest_hour_is_an_hour_or_off(value, hour):
    assert digest_hour(value) == hour


@pytest.mark.parametrize("value", ["24", "-1", "pagi"])
def test_anything_else_is_refused_at_start(value):
    with pytest.raises(ValueError):
        digest_hour(value)
