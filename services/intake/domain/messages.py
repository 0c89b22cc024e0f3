"""Validation messages a reporter reads, in Bahasa Indonesia and English.

Schemas raise codes ("too_long:200"); `describe_errors` turns marshmallow's
error dict into a flat list naming each field in the reader's language.
"""

from __future__ import annotations

from netra_common import inputs

FIELD_LABELS: dict[str, dict[str, str]] = {
    "complaint": {"id": "Data pengaduan", "en": "Complaint data"},
    "reported": {"id": "Data ASN terlapor", "en": "Reported civil servant"},
    "reported.name": {"id": "Nama ASN terlapor", "en": "Reported civil servant's name"},
    "reported.nip": {"id": "NIP ASN terlapor", "en": "Reported civil servant's NIP"},
    "reported.position": {"id": "Jabatan ASN terlapor", "en": "Reported civil servant's position"},
    "reported.work_unit": {"id": "Unit kerja (OPD)", "en": "Work unit"},
    "reported.kecamatan": {"id": "Kecamatan", "en": "Kecamatan (district)"},
    "platform": {"id": "Platform media sosial", "en": "Social media platform"},
    "platform_other": {"id": "Nama platform lainnya", "en": "Name of the other platform"},
    "post_urls": {"id": "Tautan unggahan", "en": "Post links"},
    "account_handle": {"id": "Nama akun", "en": "Account name"},
    "occurred_at": {"id": "Waktu kejadian", "en": "When it happened"},
    "violation_types": {"id": "Jenis pelanggaran", "en": "Type of violation"},
    "violation_other": {"id": "Uraian pelanggaran lainnya", "en": "Description of the other violation"},
    "description": {"id": "Uraian kejadian", "en": "Description"},
    "reporter": {"id": "Data pelapor", "en": "Reporter"},
    "reporter.anonymous": {"id": "Pilihan anonim", "en": "Anonymous choice"},
    "reporter.name": {"id": "Nama pelapor", "en": "Your name"},
    "reporter.email": {"id": "E-mail pelapor", "en": "Your e-mail"},
    "reporter.phone": {"id": "Nomor telepon pelapor", "en": "Your phone number"},
    "reporter.nik": {"id": "NIK pelapor", "en": "Your NIK"},
    "reporter.consent_contact": {"id": "Persetujuan dihubungi", "en": "Consent to be contacted"},
    "screenshots": {"id": "Tangkapan layar", "en": "Screenshots"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"id": "wajib diisi.", "en": "is required."},
    "invalid_type": {"id": "isinya tidak dalam bentuk yang benar.", "en": "has the wrong form."},
    "unknown_field": {"id": "tidak dikenal; hapus isian ini.", "en": "is not known; remove it."},
    "too_long": {"id": "paling banyak {0} karakter.", "en": "must be at most {0} characters."},
    "too_short": {"id": "paling sedikit {0} karakter.", "en": "must be at least {0} characters."},
    "too_many": {"id": "paling banyak {0} isian.", "en": "takes at most {0} entries."},
    "not_in_list": {"id": "harus dipilih dari daftar.", "en": "must be chosen from the list."},
    "choose_at_least_one": {"id": "pilih paling sedikit satu.", "en": "choose at least one."},
    "duplicates": {"id": "ada pilihan yang terulang.", "en": "has a choice repeated."},
    "required_for_other": {"id": "wajib diisi jika memilih \u201cLainnya\u201d.",
                           "en": "is required when \u201cOther\u201d is chosen."},
    "url_invalid": {"id": "harus berupa tautan yang diawali http:// atau https://.",
                    "en": "must be a link starting with http:// or https://."},
    "invalid_datetime": {"id": "bukan tanggal dan jam yang sah.", "en": "is not a valid date and time."},
    "timezone_required": {"id": "harus menyertakan zona waktu (mis. +07:00).",
                          "en": "must include a time zone (e.g. +07:00)."},
    "in_future": {"id": "tidak boleh di masa depan.", "en": "cannot be in the future."},
    "too_old": {"id": "terlalu lampau.", "en": "is too long ago."},
    "nip_length": {"id": "harus 18 angka.", "en": "must be 18 digits."},
    "nip_birth_date": {"id": "tidak sah: 8 angka pertama harus tanggal lahir (TTTTBBHH).",
                       "en": "is not valid: the first 8 digits must be a birth date (YYYYMMDD)."},
    "nip_appointment_date": {"id": "tidak sah: angka ke-9 s.d. 14 harus bulan pengangkatan (TTTTBB).",
                             "en": "is not valid: digits 9 to 14 must be the appointment month (YYYYMM)."},
    "nip_appointment_too_early": {
        "id": "tidak sah: pengangkatan harus paling cepat 18 tahun setelah tanggal lahir.",
        "en": "is not valid: appointment must be at least 18 years after birth."},
    "nip_sex": {"id": "tidak sah: angka ke-15 harus 1 atau 2.",
                "en": "is not valid: digit 15 must be 1 or 2."},
    "nik_length": {"id": "harus 16 angka.", "en": "must be 16 digits."},
    "nik_region": {"id": "tidak sah: kode wilayah tidak boleh 00.",
                   "en": "is not valid: the region code cannot be 00."},
    "nik_birth_date": {"id": "tidak sah: angka ke-7 s.d. 12 harus tanggal lahir (HHBBTT).",
                       "en": "is not valid: digits 7 to 12 must be a birth date (DDMMYY)."},
    "nik_sequence": {"id": "tidak sah: nomor urut tidak boleh 0000.",
                     "en": "is not valid: the sequence cannot be 0000."},
    "email_invalid": {"id": "bukan alamat e-mail yang sah.", "en": "is not a valid e-mail address."},
    "phone_invalid": {"id": "bukan nomor telepon Indonesia yang sah (mis. 081234567890).",
                      "en": "is not a valid Indonesian phone number (e.g. 081234567890)."},
    "contact_required": {"id": "isi e-mail atau nomor telepon agar tim dapat menghubungi Anda.",
                         "en": "give an e-mail or a phone number so the team can reach you."},
    "identity_with_anonymous": {
        "id": "harus dikosongkan karena Anda memilih melapor secara anonim.",
        "en": "must be empty because you chose to report anonymously."},
    "evidence_required": {"id": "lampirkan tangkapan layar atau isi tautan unggahan.",
                          "en": "attach a screenshot or give a link to the post."},
    "screenshot_count": {"id": "paling banyak {0} berkas.", "en": "at most {0} files."},
    "screenshot_type": {"id": "berkas \u201c{0}\u201d bukan gambar PNG, JPEG, atau WebP.",
                        "en": "file \u201c{0}\u201d is not a PNG, JPEG or WebP image."},
    "screenshot_size": {"id": "berkas \u201c{0}\u201d lebih dari {1} MB.",
                        "en": "file \u201c{0}\u201d is larger than {1} MB."},
    "screenshot_empty": {"id": "berkas \u201c{0}\u201d kosong.", "en": "file \u201c{0}\u201d is empty."},
    "screenshots_per_complaint": {
        "id": "satu pengaduan paling banyak {0} berkas seluruhnya; Anda masih dapat menambah {1}.",
        "en": "one complaint takes at most {0} files in all; you can still add {1}."},
    "screenshots_total": {"id": "ukuran semua berkas lebih dari {0} MB.",
                          "en": "all files together are larger than {0} MB."},
    "control_character": {
        "id": "berisi karakter tak terlihat atau rusak (karakter kontrol seperti NUL, atau byte yang bukan "
              "UTF-8) yang tidak dapat disimpan; hapus karakter itu.",
        "en": "contains an invisible or broken character (a control character such as NUL, or bytes that "
              "are not UTF-8) that cannot be stored; remove it."},
    "invisible_character": {
        "id": "berisi karakter format tak terlihat (pembalik arah teks atau karakter lebar-nol) yang dapat "
              "membuat teks terbaca lain; hapus karakter itu.",
        "en": "contains an invisible formatting character (a text-direction override or a zero-width "
              "character) that can make the text read as something else; remove it."},
    "too_short_trimmed": {"id": "paling sedikit {0} karakter, tidak termasuk spasi di awal dan akhir.",
                          "en": "must be at least {0} characters, not counting spaces at either end."},
    # What the door refuses before any schema (netra_common.inputs).
    **{code: words for code, words in inputs.WORDS.items() if code != "required"},
}

# What a complaint or reply that fits the OpenAPI document may still break: the rules the document
# cannot state. Refused with 422; any other problem breaks the document, and is a 400.
RULES = frozenset({
    "nip_birth_date", "nip_appointment_date", "nip_appointment_too_early", "nip_sex",
    "nik_region", "nik_birth_date", "nik_sequence", "in_future", "too_old", "too_short_trimmed",
    "evidence_required", "screenshot_type", "screenshot_size", "screenshot_empty", "screenshots_total",
    "screenshots_per_complaint",
})


def _label(path: str, lang: str) -> str:
    if path in FIELD_LABELS:
        return FIELD_LABELS[path][lang]
    base = ".".join(part for part in path.split(".") if not part.isdigit())
    return FIELD_LABELS.get(base, {"id": path, "en": path})[lang]


def message(path: str, code: str, lang: str = "id") -> str:
    name, _, args = code.partition(":")
    template = MESSAGES.get(name, {"id": "tidak sah.", "en": "is not valid."})[lang]
    return f"{_label(path, lang)} {template.format(*args.split(',') if args else ())}"


def _flatten(errors, prefix: str = ""):
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                path = prefix or "complaint"
            yield from _flatten(value, path)
    elif isinstance(errors, list):
        for item in errors:
            yield from _flatten(item, prefix)
    else:
        yield prefix or "complaint", str(errors)


def describe_errors(errors, lang: str = "id") -> list[dict[str, str]]:
    """marshmallow's nested error dict as [{field, code, message}] in `lang`."""
    return [
        {"field": path, "code": code.partition(":")[0], "message": message(path, code, lang)}
        for path, code in _flatten(errors)
    ]

FIELD_LABELS.update({
    "message": {"id": "Pesan", "en": "Message"},
    "reply": {"id": "Jawaban", "en": "The reply"},
})


def status_of(problems: list[dict[str, str]]) -> int:
    """422 when every problem is a rule the document cannot state, else 400."""
    return 422 if problems and all(p["code"] in RULES for p in problems) else 400
