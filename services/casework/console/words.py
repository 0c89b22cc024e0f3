"""What the team console says, in Bahasa Indonesia: stages, timeline events, commands and their
fields, closed lists. Kept beside the domain so a test can hold them to it (every status, event
and command has its words)."""

from __future__ import annotations

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
    "case_closed": "Kasus ditutup",
    "case_reopened": "Kasus dibuka kembali",
    "case_overdue": "Melewati batas waktu tahap",
    "disclosure_requested": "Pengungkapan identitas pelapor diminta",
    "disclosure_approved": "Pengungkapan identitas pelapor disetujui",
    "disclosure_denied": "Pengungkapan identitas pelapor ditolak",
    "identity_read": "Identitas pelapor dibaca oleh penerima",
}

# label: the button; hint: what it does, said before the member decides.
COMMANDS = {
    "assign": ("Tugaskan petugas", "Menunjuk anggota yang memverifikasi kasus ini."),
    "start_verification": ("Mulai verifikasi", "Petugas mulai memeriksa unggahan dan bukti."),
    "request_clarification": ("Minta klarifikasi pelapor",
                              "Pertanyaan tampil di halaman status pelapor; pelapor punya 7 hari kerja."),
    "resume_verification": ("Lanjutkan tanpa jawaban pelapor",
                            "Verifikasi berlanjut walau pelapor belum menjawab; tuliskan alasannya."),
    "propose_violation": ("Usulkan pelanggaran",
                          "Anggota tim lain harus mengonfirmasi usulan ini (aturan dua orang)."),
    "confirm_violation": ("Konfirmasi pelanggaran",
                          "Anda, sebagai anggota kedua, menyetujui temuan yang diusulkan."),
    "reject_proposal": ("Tolak usulan", "Usulan kembali ke verifikasi; tuliskan alasannya."),
    "dismiss": ("Hentikan kasus (tidak dilanjutkan)", "Kasus tidak diteruskan; pilih alasannya."),
    "forward_to_bkppd": ("Teruskan ke BKPPD", "BKPPD menerima berkas kasus dan pemberitahuan."),
    "record_sanction": ("Catat keputusan sanksi", "Keputusan BKPPD dicatat; kasus lalu selesai dengan sendirinya."),
    "close": ("Tutup kasus", "Kasus dinyatakan selesai."),
    "reopen": ("Buka kembali kasus", "Kasus kembali ke antrean kerja; tuliskan alasannya."),
    "request_disclosure": ("Minta pengungkapan identitas pelapor",
                           "Ketua memutuskan; identitas hanya untuk penerima yang disebut, untuk waktu terbatas."),
    "approve_disclosure": ("Setujui pengungkapan identitas",
                           "Penerima dapat membaca identitas pelapor selama waktu yang Anda tentukan."),
    "deny_disclosure": ("Tolak pengungkapan identitas", "Permintaan ditolak; tuliskan alasannya."),
}

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
# The same field name means something else in some commands.
FIELDS_BY_COMMAND = {
    ("resume_verification", "note"): "Alasan melanjutkan tanpa jawaban",
    ("reject_proposal", "note"): "Alasan penolakan",
    ("deny_disclosure", "note"): "Alasan penolakan",
    ("dismiss", "reason"): "Alasan tidak dilanjutkan",
    ("reopen", "reason"): "Alasan membuka kembali",
    ("request_disclosure", "reason"): "Alasan (urgensi dan akibatnya)",
}

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
}

ACTORS = {"admin": "Admin", "ketua": "Ketua", "self": "Pemilik akun", "server": "Operator server"}
