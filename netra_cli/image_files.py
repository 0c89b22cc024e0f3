"""A screenshot saved under a name holds what the name says: `bukti.png` is a PNG, `bukti.jpg` a
JPEG. The clean copy evidence serves is WebP; it is converted to the format the file's extension
names. An original is never converted (its SHA-256 must stay the one the case recorded), so an
extension that names another format than the upload's is refused, naming the right one."""

from __future__ import annotations

import io
from pathlib import Path

import click
from PIL import Image

# extension -> Pillow's format name
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
EXTENSION = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp", "GIF": ".gif"}
ALLOWED = ".png, .jpg, .jpeg, .webp"


def format_named_by(target: str) -> str | None:
    """The format `target`'s extension names; None for '-' (stdout takes the bytes as served).
    Any other extension is a usage error, refused before anything is asked of the server."""
    if target == "-":
        return None
    suffix = Path(target).suffix.lower()
    if suffix not in FORMATS:
        raise click.BadParameter(
            f"akhiran '{suffix or '(tanpa akhiran)'}' tidak menyebut format gambar; pakai {ALLOWED} "
            f"(atau '-' untuk stdout)", param_hint="--output")
    return FORMATS[suffix]


def format_of(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format
    except Exception:  # noqa: BLE001 - not an image Pillow reads
        return None


def as_format(data: bytes, wanted: str | None, *, original: bool) -> bytes:
    """`data` in the `wanted` format; an original only as it is, or a click failure that says why."""
    have = format_of(data)
    if wanted is None or have == wanted:
        return data
    if original:
        right = EXTENSION.get(have or "", "")
        raise click.ClickException(
            f"Unggahan asli berformat {have or 'tak dikenal'}, bukan {wanted}; yang asli tidak diubah agar "
            f"SHA-256-nya tetap cocok. Simpan dengan akhiran {right or 'yang sesuai'}. Tidak ada berkas ditulis.")
    with Image.open(io.BytesIO(data)) as image:
        if wanted == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")  # JPEG has no alpha
        out = io.BytesIO()
        image.save(out, format=wanted)
    return out.getvalue()
