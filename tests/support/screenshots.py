"""Screenshot-like images (a social media post: header, avatar, text, a picture), and the
ways several reporters' copies of one post differ."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def screenshot(seed: int, width: int = 720, height: int = 1280) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 90), fill=(59, 89, 152))
    draw.ellipse((20, 110, 90, 180), fill=(rng.randrange(256), 120, 90))
    for i in range(4):
        draw.rectangle((110, 120 + i * 16, 110 + rng.randrange(150, 500), 130 + i * 16), fill=(40, 40, 40))
    draw.rectangle((20, 220, width - 20, 700),
                   fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    for _ in range(30):
        x, y = rng.randrange(20, width - 120), rng.randrange(220, 640)
        draw.rectangle((x, y, x + 100, y + 60),
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw.text((40, 300), "COBLOS NOMOR 2", fill="white")
    for i in range(18):
        draw.rectangle((20, 730 + i * 28, 20 + rng.randrange(200, width - 40), 748 + i * 28),
                       fill=(30, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def variant(data: bytes, crop: float = 0.02, scale: float = 0.8, quality: int = 70) -> bytes:
    """Another person's copy: cropped by `crop` on each side, rescaled, re-compressed as JPEG."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = image.size
    image = image.crop((int(w * crop), int(h * crop), int(w * (1 - crop)), int(h * (1 - crop))))
    image = image.resize((int(image.width * scale), int(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
