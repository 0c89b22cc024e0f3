"""What intake checks of a screenshot before it takes it: kind (by its bytes) and size.

Only a first look: evidence decodes every image fully before anyone sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from netra_common.contracts.screenshots import sniff
from netra_common.text import clean_filename

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
# All the screenshots one complaint may gather, with its replies.
MAX_FILES_PER_COMPLAINT = 4 * MAX_FILES


# The image type the first bytes announce: the same sniff as the team's screenshots door.
sniff_image_type = sniff


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str


def neutral_name(filename: str, number: int) -> str:
    """What the other services call a screenshot: a number, and the extension the reporter's
    file had (evidence refuses a JPEG that calls itself .png), never the name itself."""
    stem, dot, extension = filename.rpartition(".")
    keep = dot and stem and extension.isascii() and extension.isalpha() and len(extension) <= 5
    return f"tangkapan-layar-{number}" + (f".{extension.lower()}" if keep else "")


def check_uploads(files: list[tuple[str, bytes]]) -> tuple[list[Upload], list[str]]:
    """Accepted uploads and error codes (see messages.py) for the rest."""
    errors: list[str] = []
    accepted: list[Upload] = []
    if len(files) > MAX_FILES:
        return [], [f"screenshot_count:{MAX_FILES}"]
    if sum(len(data) for _, data in files) > MAX_TOTAL_BYTES:
        errors.append(f"screenshots_total:{MAX_TOTAL_BYTES // (1024 * 1024)}")
    for raw_name, data in files:
        filename = clean_filename(raw_name)
        safe_name = filename.replace(",", " ")
        if not data:
            errors.append(f"screenshot_empty:{safe_name}")
        elif len(data) > MAX_FILE_BYTES:
            errors.append(f"screenshot_size:{safe_name},{MAX_FILE_BYTES // (1024 * 1024)}")
        elif (content_type := sniff_image_type(data[:16])) is None:
            errors.append(f"screenshot_type:{safe_name}")
        else:
            accepted.append(Upload(filename, data, content_type))
    return accepted, errors
