/* The work queue: the cases a member may see (BKPPD: only forwarded ones; the API decides),
   filtered, searched, sorted and paged, each leading to its case file. */
"use strict";

(function (Netra) {
  const { $, el, focus, clearErrors, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;
  const api = Netra.api;
  const COLUMNS = ["Nomor", "Tahap", "Platform", "Jenis pelanggaran", "ASN dilaporkan", "Petugas", "Batas waktu"];
  const state = { offset: 0, page: null };

  function fill(select, options) {
    options.forEach(({ value, label }) => select.append(el("option", { value }, label)));
  }

  function prepare() {
    const ref = Netra.ref;
    fill($("#queue-status"), Object.entries(ref.statuses).map(([value, label]) => ({ value, label })));
    fill($("#queue-platform"), ref.platforms);
    fill($("#queue-violation"), ref.violation_types);
    fill($("#queue-kecamatan"), ref.kecamatan.map((name) => ({ value: name, label: name })));
    fill($("#queue-sort"), ref.sorts);
    // At a desk the filters stay open; on a phone the cases come first and the filters on request.
    $("#queue-filter-box").open = window.matchMedia("(min-width: 48rem)").matches;
    $("#queue-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      state.offset = 0;
      load().then(() => focus($("#queue-count")));
    });
    $("#queue-reset").addEventListener("click", () => {
      $("#queue-filters").reset();
      state.offset = 0;
      load().then(() => focus($("#queue-count")));
    });
    $("#queue-previous").addEventListener("click", () => turn(-1));
    $("#queue-next").addEventListener("click", () => turn(1));
  }

  function query() {
    const params = new URLSearchParams();
    new FormData($("#queue-filters")).forEach((value, name) => {
      const text = String(value).trim();
      if (text) params.set(name, text);
    });
    if (!Netra.app.may("search_cases")) params.delete("q");
    if (params.get("sort") === "relevance" && !params.get("q")) params.set("sort", "opened_at");
    params.set("offset", String(state.offset));
    return params;
  }

  function limit() { return Number($("#queue-limit").value) || 50; }

  function turn(direction) {
    state.offset = Math.max(0, state.offset + direction * limit());
    load().then(() => focus($("#queue-count")));
  }

  async function show() {
    Netra.app.showView("queue-view");
    $("#queue-search-field").hidden = !Netra.app.may("search_cases");
    focus($("#queue-title"));
    await load();
  }

  async function load() {
    const form = $("#queue-filters");
    const summary = $("#queue-errors");
    const results = $("#queue-results");
    results.setAttribute("aria-busy", "true");
    clearErrors(form, summary);
    try {
      state.page = await api.get(`/api/v1/cases?${query()}`);
      render(state.page);
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      showErrors(form, summary, "Antrean tidak dapat dimuat", problemsOf(failure), words.refusal(failure));
    } finally {
      results.removeAttribute("aria-busy");
    }
  }

  function render(page) {
    const { items, total, offset } = page;
    const count = $("#queue-count");
    if (!items.length) {
      count.textContent = total ? `Tidak ada kasus di halaman ini (${words.number(total)} kasus seluruhnya).`
        : "Tidak ada kasus yang cocok dengan saringan ini.";
      $("#queue-results").replaceChildren();
    } else {
      count.textContent = `Menampilkan ${words.number(offset + 1)}–${words.number(offset + items.length)} ` +
        `dari ${words.number(total)} kasus.`;
      $("#queue-results").replaceChildren(el("table", { class: "queue" },
        el("caption", { class: "visually-hidden" }, "Kasus di antrean"),
        el("thead", {}, el("tr", {}, COLUMNS.map((name) => el("th", { scope: "col" }, name)))),
        el("tbody", {}, items.map(row))));
    }
    $("#queue-previous").disabled = offset === 0;
    $("#queue-next").disabled = offset + items.length >= total;
    $("#queue-pager").hidden = offset === 0 && offset + items.length >= total; // one page: nothing to turn
  }

  function row(item) {
    const cells = [
      el("a", { href: `#/kasus/${encodeURIComponent(item.case_id)}` }, item.case_number),
      el("span", { class: "status" }, words.status(item.status)),
      words.platform(item.platform),
      words.violations(item.violation_types),
      [el("span", { class: "name" }, item.reported_name || "-"), el("span", { class: "sub" }, item.work_unit || "-")],
      item.assignee_name || "Belum ditugaskan",
      [el("span", {}, words.wib(item.due_at)), item.overdue ? el("span", { class: "badge overdue" }, "Terlambat") : null],
    ];
    return el("tr", { class: item.overdue ? "overdue" : null }, cells.map((content, i) => el(i === 0 ? "th" : "td",
      { "data-label": COLUMNS[i], scope: i === 0 ? "row" : null }, content)));
  }

  Netra.queue = { prepare, show, reload: load };
})(window.Netra = window.Netra || {});
