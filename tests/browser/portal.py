"""What a reporter does on the portal, step by step, for the browser tests to reuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.support.waiting import eventually

WIB = timedelta(hours=7)


def open_portal(page) -> None:
    page.goto("/")
    page.wait_for_selector("#violation-share")  # the reference lists have arrived


def yesterday_in_wib() -> datetime:
    return datetime.now(UTC) + WIB - timedelta(days=1)


def fill_complaint(page, screenshot: Path | None = None, reporter: dict | None = None) -> None:
    """A complete complaint, typed the way a person would, through the labelled fields."""
    when = yesterday_in_wib()
    page.get_by_label("Nama ASN").fill("Hendra Gunawan")
    page.get_by_label("NIP (jika tahu)").fill("19870315 201001 1 002")
    page.get_by_label("Jabatan").fill("Kepala Seksi")
    page.get_by_label("Unit kerja (OPD)").select_option("Dinas Pendidikan")
    page.get_by_label("Kecamatan").select_option("Bengkalis")
    page.locator("#platform").select_option("facebook")
    page.get_by_label("Tautan unggahan").fill("https://www.facebook.com/hendra.g/posts/4410")
    page.get_by_label("Nama akun pengunggah").fill("hendra.g")
    page.get_by_label("Tanggal", exact=True).fill(when.strftime("%Y-%m-%d"))  # the phone's date picker
    page.get_by_label("Jam", exact=True).fill("20:15")  # and its clock
    page.locator("#violation-share").check()
    page.get_by_label("Uraian kejadian").fill("Membagikan poster kampanye pasangan calon nomor 2 di akun pribadinya.")
    if screenshot:
        page.set_input_files("#screenshots", str(screenshot))
        page.wait_for_selector("#screenshot-list li.good")
    if reporter:
        page.locator("#reporter-identified").check()
        page.get_by_label("Nama Anda").fill(reporter["name"])
        page.get_by_label("E-mail").fill(reporter["email"])
        page.locator("#reporter-consent").check()


def submit_and_read_receipt(page) -> tuple[str, str]:
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_selector("#receipt-panel:not([hidden])", timeout=30_000)
    return page.locator("#receipt-tracking-code").inner_text(), page.locator("#receipt-receipt").inner_text()


def check_status(page) -> None:
    """Press "Cek status" and wait for this press's answer to be on the page (not the last one's)."""
    with page.expect_response(lambda r: "/api/v1/complaints/" in r.url and r.request.method == "GET"):
        page.locator("#status-form button[type=submit]").click()
    # The panel is busy from the request until the answer is rendered.
    page.wait_for_selector("#status-panel:not([aria-busy])")


def check_status_until(page, shown: str, timeout: float = 45) -> None:
    """Press "Cek status" again until `shown` is on the page (events reach intake by the bus)."""
    def visible():
        check_status(page)
        return shown in page.locator("#status-result").inner_text()

    eventually(visible, timeout=timeout, interval=1.0, message=f"'{shown}' on the status page")


def open_status(page, tracking_code: str, receipt: str) -> None:
    page.get_by_role("button", name="Cek status").first.click()
    page.get_by_label("Kode lacak").fill(tracking_code)
    page.locator("#status-receipt").fill(receipt)
    check_status(page)


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until `selector` has the focus: proves it is reachable by keyboard alone."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def nothing_kept_in_the_browser(page) -> dict:
    """Every place a page could leave the tracking code or receipt behind on the device."""
    return {
        "url": page.url,
        "storage": page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]"),
        "cookies": page.context.cookies(),
    }


def accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} elements)" for v in results.response["violations"]]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# The focused control's ring against what lies next to it: the page around it, or the halo
# painted between them (the first box-shadow). WCAG 1.4.11 asks 3:1; axe does not check it.
FOCUS_RING = """() => {
  const rgb = (text) => (text.match(/rgba?\\(([^)]+)\\)/) || [null, "0,0,0,0"])[1].split(",").map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((v) => v / 255)
    .map((c) => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
                               return (x + 0.05) / (y + 0.05); };
  const el = document.activeElement;
  // Met before: the walk has come round (controls without an id share a tag name, so the name
  // alone cannot tell). A date or time picker keeps the focus through its own parts (day, month,
  // year): the same control again right after itself is still the walk going forward.
  window.netraRingsSeen = window.netraRingsSeen || new WeakSet();
  const within = window.netraRingsLast === el;
  const again = window.netraRingsSeen.has(el) && !within;
  window.netraRingsSeen.add(el);
  window.netraRingsLast = el;
  let around = el.parentElement, background = [255, 255, 255];
  while (around) {
    const colour = rgb(getComputedStyle(around).backgroundColor);
    if (colour[3] !== 0) { background = colour.slice(0, 3); break; }
    around = around.parentElement;
  }
  const style = getComputedStyle(el);
  const ring = rgb(style.outlineColor).slice(0, 3);
  const halo = style.boxShadow === "none" ? null : rgb(style.boxShadow).slice(0, 3);
  const direct = contrast(ring, background);
  const haloed = halo ? Math.min(contrast(ring, halo), contrast(halo, background)) : 0;
  return { control: el.id || el.name || el.tagName, again, within, width: parseFloat(style.outlineWidth),
           shown: style.outlineStyle !== "none", contrast: Math.max(direct, haloed) };
}"""


def focus_rings(page, limit: int = 150) -> list[dict]:
    """Tab through the page once, measuring the focus ring of every control that takes the focus."""
    rings = []
    page.evaluate("() => { window.netraRingsSeen = new WeakSet(); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring.pop("again"):  # come round to where the walk began: every control seen once
            break
        if ring.pop("within"):  # a picker's next part: measured once
            continue
        if ring["control"] != "BODY":  # between the last control and the first, the page itself
            rings.append(ring)
    return rings
