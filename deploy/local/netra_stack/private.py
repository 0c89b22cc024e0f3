"""The stack's data folder is its owner's alone: volumes, mail, logs and secrets hold screenshots,
messages and keys, so nothing in it is readable by anyone else on the machine (0700 folders,
0600 files). The stack's children get a umask that keeps it so; a folder made by an older
version is tightened when the stack starts. SeaweedFS alone sets 0644 on its volume-info
files (`.vif`, no content) past any umask, so a keeper takes that back every few seconds; the
folder above them is 0700 all along, so no one else can reach them meanwhile."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

UMASK = 0o077
FOLDER, FILE = 0o700, 0o600


def folder(path: Path) -> Path:
    """`path` as a private folder (its parents as they come), made if missing."""
    path.mkdir(mode=FOLDER, parents=True, exist_ok=True)
    path.chmod(FOLDER)
    return path


def tighten(root: Path) -> int:
    """Take every group and other permission off `root` and everything in it; how many paths
    it changed. Symbolic links are left alone (their own mode means nothing)."""
    changed = 0
    for path in (root, *root.rglob("*")):
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue  # a child removed it meanwhile
        if stat.S_ISLNK(mode) or not mode & 0o077:
            continue
        path.chmod(stat.S_IMODE(mode) & ~0o077)
        changed += 1
    return changed


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, whole or not at all (made aside, then renamed)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def write_json(path: Path, data) -> None:
    write_bytes(path, json.dumps(data, indent=2).encode())


def open_append(path: Path):
    """A log file to append to, readable by its owner only."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE), "ab")


class Keeper:
    """Tightens a folder every `interval` seconds, in a thread, until stopped."""

    def __init__(self, root: Path, interval: float = 5.0):
        self.root = root
        self.interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"private {root.name}", daemon=True)

    def start(self) -> Keeper:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                tighten(self.root)
            except OSError:
                pass  # a file swapped while looked at; the next round takes it

    def stop(self) -> None:
        self._stopped.set()
