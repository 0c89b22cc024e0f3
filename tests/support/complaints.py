"""Complaints as a reporter would send them, and the screenshots to go with them."""

from __future__ import annotations

import copy
import io
import json
import random

import requests
from PIL import Image

BASE_COMPLAINT = {
    "reported": {"name": "Budi Santoso", "nip": "198703152010011002", "position": "Guru",
                 "work_unit": "Dinas Pendidikan", "kecamatan": "Bengkalis"},
    "platform": "facebook",
    "post_urls": ["https://www.facebook.com/example/posts/123"],
    "account_handle": "budi.santoso",
    "occurred_at": "2024-10-01T09:30:00+07:00",
    "violation_types": ["like_comment", "share"],
    "description": "Menyukai dan membagikan unggahan kampanye pasangan calon.",
    "reporter": {"anonymous": True},
}

IDENTIFIED_REPORTER = {
    "anonymous": False, "name": "Siti Rahmawati", "email": "siti.rahmawati@example.org",
    "phone": "081234567890", "nik": "1403015507900001", "consent_contact": True,
}


def complaint(**overrides) -> dict:
    document = copy.deepcopy(BASE_COMPLAINT)
    for key, value in overrides.items():
        document[key] = value
    return document


def png(width: int = 320, height: int = 240, seed: int | None = None) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (rng.randrange(256), rng.randrange(256), 40))
    for _ in range(20):
        x, y = rng.randrange(width - 20), rng.randrange(height - 20)
        image.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                    (x, y, x + 20, y + 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def noise_png(width: int, height: int, seed: int = 7) -> bytes:
    """A PNG that does not compress (random pixels): big for its size, for upload tests."""
    image = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def file(intake_url: str, document: dict, screenshots: list[tuple[str, bytes]] | None = None,
         **kwargs) -> requests.Response:
    """POST a complaint as multipart/form-data, the way the portal does."""
    screenshots = [("bukti.png", png(seed=1))] if screenshots is None else screenshots
    files = [("screenshots", (name, data, "application/octet-stream")) for name, data in screenshots]
    return requests.post(f"{intake_url}/api/v1/complaints", timeout=30,
                         data={"complaint": json.dumps(document)}, files=files or None, **kwargs)


def status(intake_url: str, tracking_code: str, receipt: str, **kwargs) -> requests.Response:
    return requests.get(f"{intake_url}/api/v1/complaints/{tracking_code}", timeout=10,
                        headers={"X-Receipt": receipt, **kwargs.pop("headers", {})}, **kwargs)
