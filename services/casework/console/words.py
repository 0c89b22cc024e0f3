"""What the team console says, in Bahasa Indonesia: stages, timeline events, commands' fields,
closed lists. Kept beside the domain so a test can hold them to it (every status, event and field
has its words); what a command itself is called comes with it from the table of commands."""

from __future__ import annotations

from services.casework.domain.commands import TEAM_COMMANDS

STATUSES = {
    "opened": "Dibuka",
    "assigned": "Ditugaskan",
    "under_verification": "Sedang diverifikasi",
    "clarification_requested": "Menunggu klarifikasi pelapor",
    "violation_proposed": "Pelanggaran diusulkan",
    "violation_confirmed": "Pelanggaran dikonfirmasi",
    "dismissed": "Tidak dilanjutkan",
    "forwarded_to_bkppd": "Diteruskan ke BKPPD",
    "sanction_decided": "Sanksi diputuskan",
    "closed": "Selesai",
}

EVENTS = {
    "case_opened": "Kasus dibuka",
    "evidence_attached": "Tangkapan layar diterima sebagai bukti",
    "evidence_rejected": "Unggahan ditolak pemeriksaan bukti",
    "evidence_viewed": "Bukti dilihat",
    "decree_viewed": "SK dibuka kembali",
    "case_assigned": "Petugas ditugaskan",
    "verification_started": "Verifikasi dimulai",
    "clarification_requested": "Klarifikasi diminta dari pelapor",
    "reporter_replied": "Pelapor mengirim pesan",
    "clarification_answered": "Pelapor menjawab klarifikasi",
    "verification_resumed": "Verifikasi dilanjutkan tanpa jawaban pelapor",
    "violation_proposed": "Pelanggaran diusulkan",
    "proposal_rejected": "Usulan pelanggaran ditolak",
    "violation_confirmed": "Pelanggaran dikonfirmasi anggota kedua",
    "case_dismissed": "Kasus tidak dilanjutkan",
    "forwarded_to_bkppd": "Diteruskan ke BKPPD",
    "sanction_decided": "Sanksi diputuskan BKPPD",
    "decree_attached": "SK keputusan BKPPD (PDF) diterima dan disimpan",
    "case_closed": "Kasus ditutup",
    "case_reopened": "Kasus dibuka kembali",
    "case_overdue": "Melewati batas waktu tahap",
    "disclosure_requested": "Pengungkapan identitas pelapor diminta",
    "disclosure_approved": "Pengungkapan identitas pelapor disetujui",
    "disclosure_denied": "Pengungkapan identitas pelapor ditolak",
    "identity_read": "Identitas pelapor dibaca oleh penerima",
    "legal_hold_placed": "Kasus ditahan (legal hold): tidak dihapus saat masa retensi habis",
    "legal_hold_lifted": "Penahanan kasus dilepas",
    "case_purged": "Masa retensi habis: data pribadi kasus dihapus",
}

# label: the button; hint: what it does, said before the member decides (the table of commands).
COMMANDS = {c.name: (c.label, c.hint) for c in TEAM_COMMANDS}

FIELDS = {
    "assignee_id": "Petugas",
    "question": "Pertanyaan untuk pelapor",
    "note": "Catatan",
    "finding": "Temuan",
    "legal_basis": "Dasar hukum",
    "sanction_level": "Tingkat sanksi yang diusulkan",
    "reason": "Alasan",
    "duplicate_of": "Nomor kasus aslinya (jika duplikat)",
    "sanction_type": "Jenis sanksi",
    "decree_number": "Nomor surat keputusan (SK)",
    "decree_date": "Tanggal SK",
    "recipient_id": "Penerima identitas",
    "request_id": "Permintaan pengungkapan",
    "valid_for_hours": "Berlaku selama (jam)",
}
# Where the same field name means something else in a command, the table of commands says it.
FIELDS_BY_COMMAND = {(c.name, name): words for c in TEAM_COMMANDS for name, words in c.field_words.items()}

DISMISSAL_REASONS = {
    "not_asn": "Terlapor bukan ASN",
    "not_political": "Bukan kegiatan politik",
    "insufficient_evidence": "Bukti tidak cukup",
    "outside_period": "Di luar masa yang diawasi",
    "duplicate": "Duplikat kasus lain",
    "other": "Alasan lain (tuliskan di catatan)",
}

ROLES = {"ketua": "Ketua", "sekretaris": "Sekretaris", "anggota": "Anggota", "bkppd": "BKPPD",
         "admin": "Admin", "system": "Sistem"}

REJECTIONS = {
    "empty": "berkas kosong",
    "hash_mismatch": "isi berubah setelah diterima",
    "not_an_image": "bukan gambar PNG, JPEG atau WebP",
    "type_mismatch": "isi tidak sesuai jenis gambarnya",
    "corrupt": "gambar rusak atau terpotong",
    "trailing_data": "berisi data lain selain gambar",
    "embedded_markup": "berisi kode tersembunyi",
    "too_many_pixels": "gambar terlalu besar untuk diproses",
    "missing": "berkas tidak sampai ke pemeriksaan",
}

LINKS = {"same_asn": "ASN yang sama", "same_post": "Unggahan yang sama",
         "similar_screenshot": "Tangkapan layar serupa", "duplicate": "Duplikat"}

DISCLOSURE_STATES = {"pending": "Menunggu keputusan ketua", "approved": "Disetujui", "denied": "Ditolak"}

SOURCES = {"public": "Pengaduan masyarakat (portal)", "team": "Pemantauan tim sendiri"}

NOTIFY_MODES = {"immediate": "Langsung, setiap ada kabar", "digest": "Ringkasan harian (satu e-mail sehari)"}

SORTS = {"opened_at": "Tanggal dibuka", "updated_at": "Terakhir berubah", "due_at": "Batas waktu",
         "case_number": "Nomor kasus", "status": "Tahap", "relevance": "Kecocokan pencarian"}

ACCOUNT_STATES = {"invited": "Menunggu pendaftaran oleh pemiliknya",
                  "awaiting_confirmation": "Menunggu konfirmasi ketua", "active": "Aktif", "inactive": "Dinonaktifkan"}

ACCOUNT_ACTIONS = {
    "created": "Akun dibuat",
    "role_changed": "Peran diubah",
    "email_changed": "E-mail diubah",
    "deactivated": "Akun dinonaktifkan",
    "enrolment_reset": "Pendaftaran diatur ulang",
    "enrolled": "Pemilik menetapkan kata sandi dan TOTP",
    "confirmed": "Dikonfirmasi ketua",
    "created_on_server": "Dibuat di server",
    "reset_on_server": "Diatur ulang di server",
    "bootstrap_ketua": "Ketua pertama dibuat di server",
    "grandfathered": "Akun lama, diterima saat pembaruan",
    "vault_init": "Brankas identitas disiapkan di server",
    "vault_granted": "Akses brankas identitas diberikan",
    "vault_recovered": "Kunci pemulihan brankas dipakai",
    "password_changed": "Pemilik mengganti kata sandinya",
    "totp_changed": "Pemilik mengganti autentikatornya (TOTP)",
}

ACTORS = {"admin": "Admin", "ketua": "Ketua", "self": "Pemilik akun", "server": "Operator server"}
