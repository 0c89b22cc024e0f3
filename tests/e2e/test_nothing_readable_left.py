"""Nothing readable is left behind (issue 9.6): an upload is ciphertext from the moment it leaves
intake, the object store compacts a deleted object's bytes out of its volume files, and every
path in the stack's data folder is readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.support.waiting import eventually


def readable_by_others(root: Path, kind=None) -> dict[str, str]:
    found = {}
    for path in (root, *root.rglob("*")):
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue  # compaction swapped it meanwhile
        if not stat.S_ISLNK(mode) and mode & 0o077 and (kind is None or kind(mode)):
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(mode))
    return found


def test_every_path_in_the_data_folder_is_readable_by_its_owner_only(stack):
    root = stack.settings.data_dir
    assert len(list(root.rglob("*"))) > 20  # volumes, logs, mail, secrets: a running stack's folder
    # No folder ever lets anyone else in, so nothing below one can be reached by another user.
    assert readable_by_others(root, stat.S_ISDIR) == {}
    for folder in (root, stack.settings.log_dir, stack.settings.mail_dir, root / "seaweedfs"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "secrets.json").stat().st_mode) == 0o600
    # Every file is 0600 from birth, but for SeaweedFS's volume-info files, which it sets to
    # 0644 itself and the stack takes back within seconds.
    try:
        eventually(lambda: not readable_by_others(root), timeout=30, message="every file private")
    except AssertionError:
        assert readable_by_others(root) == {}  # names what is still readable by others
