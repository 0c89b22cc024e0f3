"""The closed lists every service agrees on: platforms, violation types, kecamatan, sanctions (docs/domain.md,
"Violation types", "Platforms, kecamatan and work units", "Sanctions").

Work units are not here: they are reference data an admin edits (intake's
reference list), and a complaint may name one that is not listed.
"""

from __future__ import annotations

PLATFORMS: dict[str, dict[str, str]] = {
    "facebook": {"id": "Facebook", "en": "Facebook"},
    "instagram": {"id": "Instagram", "en": "Instagram"},
    "x": {"id": "X (Twitter)", "en": "X (Twitter)"},
    "tiktok": {"id": "TikTok", "en": "TikTok"},
    "youtube": {"id": "YouTube", "en": "YouTube"},
    "whatsapp": {"id": "WhatsApp", "en": "WhatsApp"},
    "telegram": {"id": "Telegram", "en": "Telegram"},
    "website": {"id": "Situs web", "en": "Website"},
    "other": {"id": "Lainnya", "en": "Other"},
}

VIOLATION_TYPES: dict[str, dict[str, str]] = {
    "post_support": {
        "id": "Mengunggah konten yang mendukung calon, pasangan calon, atau partai",
        "en": "Posted content supporting a candidate, pair or party",
    },
    "share": {
        "id": "Membagikan atau meneruskan konten kampanye",
        "en": "Shared, reposted or forwarded campaign content",
    },
    "like_comment": {
        "id": "Menyukai, mengomentari, atau menanggapi konten kampanye",
        "en": "Liked, commented on or reacted to campaign content",
    },
    "photo_with_candidate": {
        "id": "Berfoto bersama calon atau dengan gestur kampanye",
        "en": "Posed with a candidate or with campaign gestures",
    },
    "campaign_attribute": {
        "id": "Memakai bingkai, twibbon, simbol, atau slogan calon/partai di profil",
        "en": "Used a candidate's or party's frame, twibbon, symbol or slogan on a profile",
    },
    "group_membership": {
        "id": "Bergabung, mengelola, atau berbicara di grup/kanal daring calon atau partai",
        "en": "Joined, ran or spoke in a candidate's or party's online group or channel",
    },
    "state_facility": {
        "id": "Memakai akun resmi atau fasilitas negara untuk calon",
        "en": "Used an official account or other state facility for a candidate",
    },
    "other": {"id": "Lainnya (dijelaskan)", "en": "Other (described)"},
}

KECAMATAN: tuple[str, ...] = (
    "Bantan",
    "Bandar Laksamana",
    "Bathin Solapan",
    "Bengkalis",
    "Bukit Batu",
    "Mandau",
    "Pinggir",
    "Rupat",
    "Rupat Utara",
    "Siak Kecil",
    "Talang Muandau",
)

# PP 94/2021 levels, plus ethics (kode etik) with a moral sanction.
SANCTION_LEVELS: dict[str, dict[str, str]] = {
    "etik": {"id": "Pelanggaran kode etik (sanksi moral)", "en": "Ethics violation (moral sanction)"},
    "ringan": {"id": "Hukuman disiplin ringan", "en": "Light disciplinary sanction"},
    "sedang": {"id": "Hukuman disiplin sedang", "en": "Moderate disciplinary sanction"},
    "berat": {"id": "Hukuman disiplin berat", "en": "Heavy disciplinary sanction"},
}

# What BKPPD may decide (PP 94/2021; ethics sanctions under the code of conduct), by level.
SANCTION_TYPES: dict[str, dict[str, str]] = {
    "pernyataan_tertutup": {"level": "etik", "id": "Pernyataan secara tertutup",
                            "en": "Closed statement"},
    "pernyataan_terbuka": {"level": "etik", "id": "Pernyataan secara terbuka", "en": "Open statement"},
    "teguran_lisan": {"level": "ringan", "id": "Teguran lisan", "en": "Oral reprimand"},
    "teguran_tertulis": {"level": "ringan", "id": "Teguran tertulis", "en": "Written reprimand"},
    "pernyataan_tidak_puas": {"level": "ringan", "id": "Pernyataan tidak puas secara tertulis",
                              "en": "Written statement of dissatisfaction"},
    "potong_tukin_6": {"level": "sedang", "id": "Pemotongan tunjangan kinerja 25% selama 6 bulan",
                       "en": "25% performance allowance cut for 6 months"},
    "potong_tukin_9": {"level": "sedang", "id": "Pemotongan tunjangan kinerja 25% selama 9 bulan",
                       "en": "25% performance allowance cut for 9 months"},
    "potong_tukin_12": {"level": "sedang", "id": "Pemotongan tunjangan kinerja 25% selama 12 bulan",
                        "en": "25% performance allowance cut for 12 months"},
    "turun_jabatan": {"level": "berat", "id": "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
                      "en": "Demotion by one grade for 12 months"},
    "bebas_jabatan": {"level": "berat",
                      "id": "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan",
                      "en": "Relief from position to an executive post for 12 months"},
    "pemberhentian": {"level": "berat",
                      "id": "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
                      "en": "Honourable dismissal, not at own request, as a civil servant"},
    "tidak_dijatuhi_sanksi": {"level": "none", "id": "Tidak dijatuhi sanksi", "en": "No sanction"},
}
