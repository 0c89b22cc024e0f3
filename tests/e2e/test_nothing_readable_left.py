"""Nothing readable is left behind (issue 9.6): an upload is ciphertext from the moment it leaves
intake, the object store compacts a deleted object's bytes out of its volume files, and every
path in the stack's data folder is readable by its owner only."""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from pathlib import Path

from sqlalchemy import text

from netra_common.contracts.quarantine import MAGIC, Opener
from tests.support import complaints
from tests.support.evidence import in_quarantine, s3
from tests.support.hostile_files import photo_with_gps, with_jpeg_comment
from tests.support.waiting import eventually


def files_holding(folder: Path, needles: dict[str, bytes]) -> dict[str, list[str]]:
    """For each needle found anywhere under `folder`, the files that hold it."""
    found: dict[str, list[str]] = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            try:
                data = path.read_bytes()
            except (FileNotFoundError, PermissionError, IsADirectoryError):
                continue  # compaction swaps files while we read
            for label, needle in needles.items():
                if needle in data:
                    found.setdefault(label, []).append(str(path.relative_to(folder)))
    return found


def marked_photo(marker: bytes) -> bytes:
    """A phone photo with its place (EXIF GPS), its camera and a marker no other file holds."""
    return with_jpeg_comment(photo_with_gps(), b"foto ponsel " + marker + b" nomor seri HP-0812")


def test_a_screenshot_leaves_nothing_readable_in_the_object_store(stack, stack_db):
    marker = b"PENANDA-" + uuid.uuid4().hex.encode()
    photo = marked_photo(marker)
    gps = photo[photo.index(b"Exif\x00\x00"):][:96]
    admin = s3(stack, "admin")
    stack.stop_service("evidence")  # hold the upload in quarantine long enough to look at it
    try:
        filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), [("foto.jpg", photo)])
        assert filed.status_code == 201, filed.text
        (key,) = [o.object_name for o in admin.list_objects("quarantine", recursive=True)
                  if o.object_name.startswith(_complaint_id(stack_db, filed.json()["tracking_code"]))]
        blob = admin.get_object("quarantine", key).read()
    finally:
        stack.start_service("evidence")
        stack.wait_healthy("evidence")

    assert blob.startswith(MAGIC) and marker not in blob and gps not in blob and photo[200:264] not in blob
    assert Opener.parse(stack.secrets["quarantine_private_key"]).open(blob, key) == photo

    sha = hashlib.sha256(photo).hexdigest()
    eventually(lambda: _in_custody(stack_db, sha), timeout=60, message="the photo in custody")
    eventually(lambda: not in_quarantine(stack, key), timeout=60, message="the upload out of quarantine")
    needles = {"marker": marker, "exif gps": gps, "photo": photo[len(photo) // 2:][:64],
               "deleted quarantine ciphertext": blob[-64:]}
    eventually(lambda: not files_holding(stack.settings.data_dir, needles), timeout=180,
               message="the deleted upload compacted out of SeaweedFS's volumes")


def _complaint_id(stack_db, tracking_code: str) -> str:
    with stack_db.connect() as conn:
        return str(conn.execute(text("SELECT complaint_id FROM intake.complaints WHERE tracking_code = :t"),
                                {"t": tracking_code}).scalar_one())


def _in_custody(stack_db, sha: str) -> bool:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM evidence.items WHERE sha256 = :s"),
                            {"s": sha}).scalar_one() == 1


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
