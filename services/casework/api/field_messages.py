"""The team's validation messages in Bahasa Indonesia.

marshmallow writes its messages in English; the team works in Indonesian, so each message
of a refused body is said again in Indonesian before it leaves the API. A message we do not
know (a rule written in Indonesian already) passes unchanged.
"""

from __future__ import annotations

import re

FIXED = {
    "Missing data for required field.": "Wajib diisi.",
    "Field may not be null.": "Tidak boleh kosong (null).",
    "Unknown field.": "Isian ini tidak dikenal.",
    "Invalid input type.": "Jenis isiannya salah.",
    "Invalid value.": "Nilainya tidak sah.",
    "Not a valid string.": "Harus berupa teks.",
    "Not a valid integer.": "Harus berupa bilangan bulat.",
    "Not a valid number.": "Harus berupa angka.",
    "Not a valid boolean.": "Harus true atau false.",
    "Not a valid UUID.": "Bukan id (UUID) yang sah.",
    "Not a valid email address.": "Bukan alamat e-mail yang sah.",
    "Not a valid URL.": "Bukan tautan yang sah.",
    "Not a valid datetime.": "Bukan tanggal dan jam yang sah.",
    "Not a valid date.": "Bukan tanggal yang sah (TTTT-BB-HH).",
    "Not a valid list.": "Harus berupa daftar.",
    "Not a valid mapping type.": "Harus berupa objek JSON.",
    "Not a valid aware datetime.": "Harus menyertakan zona waktu (mis. +07:00).",
    "String does not match expected pattern.": "Bentuknya tidak sesuai ketentuan.",
    "Choose at least one violation type.": "Pilih paling sedikit satu jenis pelanggaran.",
    "Contains control characters that cannot be stored.":
        "Memuat karakter kendali (mis. NUL) yang tidak dapat disimpan; ketik ulang teksnya.",
    "Contains invisible formatting characters (text direction or zero-width marks).":
        "Memuat karakter format tak terlihat (pembalik arah teks atau karakter lebar-nol); ketik ulang teksnya.",
    "A choice is repeated.": "Ada pilihan yang terulang.",
}
PATTERNS = (
    (re.compile(r"^Must be one of: (.*)\.$"), "Harus salah satu dari: {0}."),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), "Panjangnya harus {0} sampai {1} karakter."),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), "Paling sedikit {0} karakter."),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), "Paling banyak {0} karakter."),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), "Paling kecil {0}."),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), "Paling besar {0}."),
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     "Harus antara {0} dan {1}."),
)


def in_indonesian(messages):
    """The same structure (dicts and lists of messages), each message in Indonesian."""
    if isinstance(messages, dict):
        return {key: in_indonesian(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [in_indonesian(value) for value in messages]
    if not isinstance(messages, str):
        return messages
    if messages in FIXED:
        return FIXED[messages]
    for pattern, words in PATTERNS:
        found = pattern.match(messages)
        if found:
            return words.format(*found.groups())
    return messages
