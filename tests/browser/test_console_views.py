"""The console's other pages in real Chromium: statistics as charts, a case the team files itself,
my account, BKPPD's narrower console, and the reporter's identity read on screen only by the
member a disclosure names."""

from __future__ import annotations

import csv
import hashlib
import io

from tests.browser.console import (
    IMAGE_SHOWN,
    accessibility_violations,
    case_filed_with_screenshot,
    kept_in_the_browser,
    open_case,
    run_command,
    sign_in,
    wait_for_case_file,
    wait_for_notice,
    wait_for_queue,
)
from tests.conftest import enrol
from tests.support import complaints, decrees
from tests.support.casework import to_forwarded


def test_the_statistics_are_charts_with_their_numbers_and_a_csv(consoles, stack, stack_db, ketua):
    case_filed_with_screenshot(stack, stack_db, ketua, seed=921, platform="tiktok")
    member = enrol(stack, "sekretaris.statistik", "sekretaris", work_unit="Diskominfo")
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    page.get_by_role("link", name="Statistik").click()
    page.wait_for_selector("#stats-content .chart")
    page.wait_for_selector("#stats-content:not([aria-busy])")
    stats = member.get("/api/v1/statistics").json()

    assert f"Jumlah kasus seluruhnya: {stats['total_cases']}" in page.locator("#stats-content").inner_text()
    for dimension in ("status", "platform", "violation_type", "work_unit", "week"):
        chart = page.locator(f"figure[data-dimension={dimension}]")
        assert chart.locator("tbody tr").count() == len(stats["counts"][dimension]), dimension
        counts = [int(c.replace(".", "")) for c in chart.locator("td.count").all_inner_texts()]
        assert sorted(counts) == sorted(r["count"] for r in stats["counts"][dimension]), dimension
    widths = page.eval_on_selector_all(".chart .bar", "bars => bars.map(b => b.getBoundingClientRect().width)")
    assert widths and all(w > 0 for w in widths)
    assert "TikTok" in page.locator("figure[data-dimension=platform]").inner_text()
    assert "Lama kasus di setiap tahap" in page.locator("table.stages").inner_text()
    assert accessibility_violations(page) == []
    device.picture("statistics")

    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh statistik (CSV)").click()
    assert download.value.suggested_filename == "statistik-netra.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["section", "key", "count"] and any(r[:2] == ["platform", "tiktok"] for r in rows)


def test_the_team_files_a_case_from_its_own_monitoring(consoles, stack):
    member = enrol(stack, "anggota.pemantau", "anggota", work_unit="Diskominfo")
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    page.get_by_role("link", name="Catat kasus").click()
    form = page.locator("#file-form")
    form.get_by_role("button", name="Catat kasus").click()
    summary = page.locator("#file-errors")
    summary.wait_for()
    said = summary.inner_text()
    assert "Nama ASN: Wajib diisi." in said and "Pilih paling sedikit satu jenis pelanggaran." in said
    assert page.locator("#file-name").get_attribute("aria-invalid") == "true"
    assert accessibility_violations(page) == []
    device.picture("refused")

    form.get_by_label("Nama ASN").fill("Yusnita Sari")
    form.get_by_label("Unit kerja").fill("Dinas Kesehatan")
    form.get_by_label("Kecamatan").select_option("Mandau")
    form.get_by_label("Platform").select_option(label="Instagram")
    form.get_by_label("Tautan unggahan").fill("https://www.instagram.com/p/Cx99zz/")
    form.get_by_label("Tanggal kejadian").fill("2026-11-03")
    form.get_by_label("Jam (WIB)").fill("20:15")
    form.get_by_label("Memakai bingkai, twibbon").check()
    form.get_by_label("Uraian").fill("Memasang twibbon pasangan calon nomor 1 pada foto profil akun pribadinya.")
    form.get_by_role("button", name="Catat kasus").click()
    wait_for_case_file(page)
    said = wait_for_notice(page, "telah dicatat")
    assert said.startswith("Kasus NTR-")
    facts = page.locator("#case-content").inner_text()
    assert "Pemantauan tim sendiri" in facts and "Yusnita Sari" in facts and "3 Nov 2026, 20.15 WIB" in facts
    device.picture("filed")


def test_a_member_chooses_a_daily_digest_on_their_account(consoles, stack):
    member = enrol(stack, "anggota.ringkasan", "anggota", work_unit="Diskominfo", email="ringkasan@example.id")
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    page.get_by_role("link", name="Akun saya").click()
    page.wait_for_selector("#account-details dd")
    details = page.locator("#account-details").inner_text()
    assert "ringkasan@example.id" in details and "Langsung, setiap ada kabar" in details
    page.get_by_label("Ringkasan harian").check()
    page.get_by_role("button", name="Simpan pilihan").click()
    page.wait_for_selector("#preferences-done:has-text('Tersimpan')")
    assert member.get("/api/v1/me").json()["notify_mode"] == "digest"
    assert accessibility_violations(page) == []
    device.picture("account")


def test_bkppd_sees_only_forwarded_cases_and_records_the_sanction(consoles, stack, stack_db, ketua, anggota):
    forwarded = case_filed_with_screenshot(stack, stack_db, ketua, seed=931)
    to_forwarded(ketua, anggota, forwarded["case_id"], forwarded["version"])
    waiting = case_filed_with_screenshot(stack, stack_db, ketua, seed=932)
    bkppd = enrol(stack, "bkppd.konsol", "bkppd", work_unit="BKPPD", full_name="Yuliana BKPPD")
    device = consoles("desk")
    page = device.page
    sign_in(page, bkppd)
    assert page.locator("#menu-statistik").is_hidden() and page.locator("#menu-kasus-baru").is_hidden()
    assert page.locator("#queue-q").is_hidden()  # BKPPD does not search the team's queue
    listed = page.locator("#queue-results").inner_text()
    assert forwarded["case_number"] in listed and waiting["case_number"] not in listed
    assert "Dibuka" not in page.locator("table.queue tbody").inner_text()
    device.picture("queue")

    page.get_by_role("link", name=forwarded["case_number"]).click()
    wait_for_case_file(page)
    page.wait_for_function(IMAGE_SHOWN, arg="button.thumb img")
    assert page.get_by_role("button", name="Unduh berkas untuk BKPPD (JSON)").is_visible()
    run_command(page, "record_sanction", fill={"Nomor surat keputusan": "800/BKPPD/2026/41",
                                               "Tanggal SK": "2026-11-20"},
                choose={"Jenis sanksi": "Teguran tertulis"})
    wait_for_notice(page, "Berhasil: Catat keputusan sanksi")
    assert "Teguran tertulis" in page.locator("#case-content").inner_text()
    assert accessibility_violations(page) == []
    device.picture("sanction-recorded")


def test_bkppd_hands_in_the_sk_with_its_decision_and_a_bad_file_records_nothing(consoles, stack, stack_db, ketua,
                                                                                anggota, tmp_path):
    case = case_filed_with_screenshot(stack, stack_db, ketua, seed=936)
    version = to_forwarded(ketua, anggota, case["case_id"], case["version"])
    bkppd = enrol(stack, "bkppd.konsol.sk", "bkppd", work_unit="BKPPD", full_name="Rahmat BKPPD")
    bad, good = tmp_path / "sk-berskrip.pdf", tmp_path / "sk-800-42.pdf"
    bad.write_bytes(decrees.with_javascript())
    good.write_bytes(decrees.plain_decree("800/BKPPD/2026/42"))
    device = consoles("desk")
    page = device.page
    sign_in(page, bkppd)
    page.get_by_role("link", name=case["case_number"]).click()
    wait_for_case_file(page)
    box = page.locator("details[data-command=record_sanction]")
    box.locator("summary").click()
    box.get_by_label("Berkas SK (PDF, opsional)").set_input_files(str(bad))
    run_command(page, "record_sanction", fill={"Nomor surat keputusan": "800/BKPPD/2026/42",
                                               "Tanggal SK": "2026-11-21"},
                choose={"Jenis sanksi": "Teguran lisan"})
    refusal = box.locator(".error-summary")
    refusal.wait_for(state="visible")
    assert "memuat JavaScript" in refusal.inner_text()
    # Nothing recorded: no SK, no decision (opening the case file recorded views of its thumbnail).
    after = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    assert (after["status"], after["decrees"], after["sanction"]) == ("forwarded_to_bkppd", [], None)
    assert "decree_attached" not in [t["type"] for t in after["timeline"] if t["version"] > version]
    device.picture("sk-refused")

    box.get_by_label("Berkas SK (PDF, opsional)").set_input_files(str(good))
    box.locator("button[type=submit]").click()
    wait_for_notice(page, "Berhasil: Catat keputusan sanksi")
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    content = page.locator("#case-content")
    content.get_by_text(digest).wait_for()
    assert "Berkas SK (PDF, disimpan sebagai bukti)" in content.inner_text()
    assert ketua.get(f"/api/v1/cases/{case['case_id']}").json()["status"] == "closed"
    assert accessibility_violations(page) == []
    device.picture("sk-kept")


def test_the_member_a_disclosure_names_reads_the_identity_on_screen_only(consoles, stack, stack_db, ketua):
    reporter = complaints.IDENTIFIED_REPORTER
    case = case_filed_with_screenshot(stack, stack_db, ketua, seed=941, reporter=reporter)
    recipient = enrol(stack, "anggota.penerima", "anggota", work_unit="Diskominfo", full_name="Fajar Nugroho")
    bystander = enrol(stack, "sekretaris.lain", "sekretaris", work_unit="Diskominfo")
    asked = bystander.command(case["case_id"], "request_disclosure", case["version"],
                              recipient_id=recipient.user["user_id"],
                              reason="Pelapor perlu dihubungi untuk saksi dalam pemeriksaan disiplin.")
    assert asked.status_code == 200, asked.text  # three people: the bystander asks, a ketua decides

    # The ketua decides in the console: the request is picked by whom it is for, never typed.
    lead = enrol(stack, "ketua.pengungkapan", "ketua", work_unit="Diskominfo")
    decider = consoles("desk", who="ketua")
    sign_in(decider.page, lead)
    open_case(decider.page, case["case_id"])
    assert "Menunggu keputusan ketua" in decider.page.locator("#case-content").inner_text()
    approve = decider.page.locator("details[data-command=approve_disclosure]")
    approve.locator("summary").click()
    approve.get_by_label("Permintaan pengungkapan").select_option(index=1)
    assert "Untuk Fajar Nugroho" in approve.get_by_label("Permintaan pengungkapan").inner_text()
    run_command(decider.page, "approve_disclosure", fill={"Berlaku selama": "2"})
    wait_for_notice(decider.page, "Berhasil: Setujui pengungkapan identitas")
    assert decider.page.get_by_role("button", name="Baca identitas pelapor").count() == 0  # not named
    assert accessibility_violations(decider.page) == []
    decider.picture("approved")

    other = consoles("desk", who="bystander")
    sign_in(other.page, bystander)
    open_case(other.page, case["case_id"])
    assert "Disetujui" in other.page.locator("#case-content").inner_text()
    assert other.page.get_by_role("button", name="Baca identitas pelapor").count() == 0

    device = consoles("desk", who="recipient")
    page = device.page
    sign_in(page, recipient)
    open_case(page, case["case_id"])
    assert reporter["name"] not in page.content()
    page.get_by_role("button", name="Baca identitas pelapor").click()
    shown = page.locator("#identity-shown")
    shown.wait_for()
    assert reporter["name"] in shown.inner_text() and reporter["email"] in shown.inner_text()
    assert "Rahasia" in shown.inner_text()
    assert page.evaluate("document.activeElement.id") == "identity-shown"
    device.picture("identity-on-screen")
    kept = kept_in_the_browser(page)
    assert reporter["name"] not in str(kept) and reporter["email"] not in str(kept)

    page.get_by_role("link", name="Kembali ke antrean").click()
    wait_for_queue(page)
    assert reporter["name"] not in page.content() and reporter["nik"] not in page.content()
    open_case(page, case["case_id"])
    assert reporter["name"] not in page.content()  # read again only by asking again (and logged again)
    assert "Identitas pelapor dibaca oleh penerima" in page.locator(".access-log").inner_text()
    assert "Identitas pelapor dibaca" not in page.locator(".timeline").inner_text()  # a view, not a change
