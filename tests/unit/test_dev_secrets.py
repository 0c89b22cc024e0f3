"""Development secrets: a secrets file from an earlier version gains the keys it lacks (the
quarantine key pair) and keeps every key it had; the file is its owner's alone."""

from __future__ import annotations

import json
import os
import stat

from netra_stack import private
from netra_stack import secrets as dev_secrets

from netra_common.contracts.quarantine import Opener, Sealer


def test_an_older_secrets_file_gains_the_quarantine_keys_and_keeps_the_rest(tmp_path):
    first = dev_secrets.load_or_create(tmp_path)
    older = {k: v for k, v in first.items() if not k.startswith("quarantine_")}
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(older))
    path.chmod(0o644)

    upgraded = dev_secrets.load_or_create(tmp_path)
    assert {k: upgraded[k] for k in older} == older
    assert Opener.parse(upgraded["quarantine_private_key"]).open(
        Sealer(upgraded["quarantine_public_key"]).seal(b"foto", "a/b"), "a/b") == b"foto"
    assert json.loads(path.read_text()) == upgraded
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert dev_secrets.load_or_create(tmp_path) == upgraded  # and from then on, the same


def test_a_new_data_folder_and_its_secrets_are_the_owners_alone(tmp_path):
    data = tmp_path / "baru"
    dev_secrets.load_or_create(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "secrets.json").stat().st_mode) == 0o600


def test_tightening_takes_every_other_permission_off_an_older_folder(tmp_path):
    (tmp_path / "logs").mkdir(mode=0o755)
    (tmp_path / "logs" / "intake.log").write_text("x")
    os.chmod(tmp_path / "logs" / "intake.log", 0o644)
    (tmp_path / "run.sh").write_text("x")
    os.chmod(tmp_path / "run.sh", 0o755)  # noqa: S103 - an older folder, as it was
    assert private.tighten(tmp_path) >= 3
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "logs" / "intake.log").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "run.sh").stat().st_mode) == 0o700
    assert private.tighten(tmp_path) == 0
