"""SeaweedFS never starts in production with identities that let unsigned requests in: the check
the compose file's s3-check job and the systemd unit run (netra_common/s3_deploy.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from netra_stack import secrets as dev_secrets
from netra_stack.seaweed import BUCKETS as LOCAL_BUCKETS
from netra_stack.seaweed import identities

from netra_common.s3_deploy import BUCKETS, check_file, identity_problems


def test_the_identities_the_stacks_write_pass_and_name_the_same_buckets():
    assert identity_problems(identities(dev_secrets._new())) == []
    assert BUCKETS == LOCAL_BUCKETS


def test_no_identities_or_an_anonymous_or_keyless_one_is_refused():
    good = identities(dev_secrets._new())
    assert "no identities" in identity_problems({})[0]
    assert "no identities" in identity_problems({"identities": []})[0]
    anonymous = {"identities": [*good["identities"], {"name": "anonymous", "actions": ["Read"]}]}
    assert "anonymous identity" in identity_problems(anonymous)[0]
    keyless = {"identities": [{"name": "intake", "credentials": [], "actions": ["Write:quarantine"]}]}
    assert "no credentials" in identity_problems(keyless)[0]
    weak = {"identities": [{"name": "intake", "credentials": [{"accessKey": "a", "secretKey": "pendek"}],
                            "actions": ["Write:quarantine"]}]}
    assert "shorter than" in identity_problems(weak)[0]


def test_the_check_command_exits_non_zero_on_a_bad_file_and_zero_on_a_good_one(tmp_path):
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(json.dumps({"identities": [{"name": "anonymous", "actions": ["Read"]}]}))
    good.write_text(json.dumps(identities(dev_secrets._new())))
    run = [sys.executable, "-m", "netra_common.s3_deploy", "check"]
    refused = subprocess.run([*run, str(bad)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "anonymous" in refused.stderr
    assert "cannot read" in check_file(tmp_path / "absent.json")[0]
    assert subprocess.run([*run, str(good)], capture_output=True, timeout=60).returncode == 0
