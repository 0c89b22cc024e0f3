/* The account audit log, for a ketua: who did what to which account, when (WIB) and as what,
   newest first, a page at a time. */
"use strict";

(function (Netra) {
  const { $, el, focus, clearErrors, showErrors } = Netra.dom;
  const words = Netra.words;
  const PAGE = 50;
  const FIELDS = { role: "peran", email: "e-mail", work_unit: "unit kerja", full_name: "nama" };
  const state = { offset: 0, total: 0 };

  function prepare() {
    $("#audit-previous").addEventListener("click", () => turn(-1));
    $("#audit-next").addEventListener("click", () => turn(1));
  }

  function turn(direction) {
    state.offset = Math.max(0, state.offset + direction * PAGE);
    load().then(() => focus($("#audit-count")));
  }

  async function show() {
    Netra.app.showView("audit-view");
    focus($("#audit-title"));
    state.offset = 0;
    await load();
  }

  /* What changed, in words: "peran anggota → ketua", what a ketua confirmed, the state it was left in. */
  function detail(entry) {
    const d = entry.details || {};
    const parts = Object.entries(d).filter(([, v]) => v && typeof v === "object" && "from" in v)
      .map(([k, v]) => `${FIELDS[k] || k} ${v.from || "-"} → ${v.to || "-"}`);
    if (d.confirmed) {
      const c = d.confirmed;
      parts.push(`dikonfirmasi: ${c.full_name}, ${words.role(c.role)}, ${c.work_unit || "-"}, ${c.email || "-"}`);
    }
    if (d.state) parts.push(`keadaan: ${words.accountState(d.state)}`);
    return parts.join("; ") || "-";
  }

  function render(page) {
    const rows = page.items.map((e) => el("tr", {},
      el("td", { "data-label": "Waktu" }, words.wib(e.at)),
      el("td", { "data-label": "Pelaku" }, `${e.actor_name} (${words.actor(e.actor_role)})`),
      el("th", { scope: "row", "data-label": "Tindakan" }, words.accountAction(e.action)),
      el("td", { "data-label": "Akun" }, e.account_username),
      el("td", { "data-label": "Rincian" }, detail(e))));
    const head = el("tr", {}, ["Waktu", "Pelaku", "Tindakan", "Akun", "Rincian"].map((c) => el("th", { scope: "col" }, c)));
    $("#audit-content").replaceChildren(el("table", { class: "queue audit" }, el("thead", {}, head), el("tbody", {}, rows)));
    const last = Math.min(page.offset + page.items.length, page.total);
    $("#audit-count").textContent = page.total ? `Entri ${page.offset + 1}–${last} dari ${page.total}.` : "Belum ada entri.";
    $("#audit-previous").disabled = page.offset === 0;
    $("#audit-next").disabled = last >= page.total;
  }

  async function load() {
    const summary = $("#audit-errors");
    clearErrors($("#audit-view"), summary);
    try {
      render(await Netra.api.get(`/api/v1/audit/accounts?limit=${PAGE}&offset=${state.offset}`));
    } catch (failure) {
      if (!Netra.app.ended(failure)) {
        showErrors($("#audit-view"), summary, "Log audit tidak dapat dimuat", [], words.refusal(failure));
      }
    }
  }

  Netra.audit = { prepare, show };
})(window.Netra = window.Netra || {});
