/* Statistics as charts one can read at a glance: a bar per category, drawn in HTML from the
   API's JSON, each with its number as text (a table underneath, for screen readers too), the
   time cases spend in each stage, and the CSV for whoever wants the figures. */
"use strict";

(function (Netra) {
  const { $, el, focus, clearErrors, showErrors } = Netra.dom;
  const words = Netra.words;
  const ORDER = ["status", "platform", "violation_type", "work_unit", "week"];
  const HEADINGS = { status: "Tahap", platform: "Platform", violation_type: "Jenis pelanggaran",
                     work_unit: "Unit kerja", week: "Minggu" };
  let prepared = false;

  function label(dimension, key) {
    if (dimension === "status") return words.status(key);
    if (dimension === "platform") return words.platform(key);
    if (dimension === "violation_type") return words.violation(key);
    if (dimension === "work_unit") return key && key !== "-" ? key : "Tidak disebutkan";
    const week = /^(\d{4})-W(\d{2})$/.exec(key || "");
    return week ? `Minggu ke-${Number(week[2])}, ${week[1]}` : key;
  }

  function ordered(dimension, rows) {
    if (dimension !== "status") return rows;
    const stages = Object.keys(Netra.ref.statuses);
    return [...rows].sort((a, b) => stages.indexOf(a.key) - stages.indexOf(b.key));
  }

  function chart(dimension, rows) {
    const top = Math.max(1, ...rows.map((row) => row.count));
    const title = words.dimension(dimension);
    const body = ordered(dimension, rows).map((row) => {
      const bar = el("span", { class: "bar", "aria-hidden": "true" });
      bar.style.width = `${Math.max(1, Math.round((100 * row.count) / top))}%`; // CSSOM: allowed under the CSP
      return el("tr", {}, el("th", { scope: "row" }, label(dimension, row.key)),
        el("td", { class: "bar-cell" }, el("span", { class: "track" }, bar)),
        el("td", { class: "count" }, words.number(row.count)));
    });
    return el("figure", { class: "chart", "data-dimension": dimension },
      el("table", { class: "bars" },
        el("caption", {}, title),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, HEADINGS[dimension]),
          el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Batang")),
          el("th", { scope: "col", class: "count" }, "Jumlah"))),
        el("tbody", {}, body.length ? body : el("tr", {}, el("td", { colspan: 3 }, "Belum ada data.")))));
  }

  function hours(value) {
    if (value === null || value === undefined) return "-";
    const text = `${Number(value).toLocaleString("id-ID", { maximumFractionDigits: 1 })} jam`;
    return value >= 48 ? `${(value / 24).toLocaleString("id-ID", { maximumFractionDigits: 1 })} hari (${text})` : text;
  }

  function stages(rows) {
    const columns = ["Tahap", "Sudah melewati", "Sedang di tahap ini", "Rata-rata lama", "Median lama"];
    return el("table", { class: "stages" },
      el("caption", {}, "Lama kasus di setiap tahap"),
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, ordered("status", rows.map((r) => ({ ...r, key: r.stage }))).map((r) => el("tr", {},
        el("th", { scope: "row", "data-label": columns[0] }, words.status(r.stage)),
        el("td", { "data-label": columns[1] }, words.number(r.cases_passed)),
        el("td", { "data-label": columns[2] }, words.number(r.cases_in_stage_now)),
        el("td", { "data-label": columns[3] }, hours(r.average_hours)),
        el("td", { "data-label": columns[4] }, hours(r.median_hours))))));
  }

  function render(stats) {
    $("#stats-content").replaceChildren(
      el("p", { class: "total" }, `Jumlah kasus seluruhnya: ${words.number(stats.total_cases)}`),
      el("div", { class: "charts" }, ORDER.filter((d) => stats.counts[d]).map((d) => chart(d, stats.counts[d]))),
      stages(stats.time_in_stages || []));
  }

  function prepare() {
    if (prepared) return;
    prepared = true;
    $("#stats-csv").addEventListener("click", async () => {
      try {
        await Netra.api.download("/api/v1/statistics.csv", "statistik-netra.csv");
      } catch (failure) {
        if (!Netra.app.ended(failure)) Netra.app.notice(words.refusal(failure), "bad");
      }
    });
  }

  async function show() {
    prepare();
    Netra.app.showView("stats-view");
    focus($("#stats-title"));
    const summary = $("#stats-errors");
    clearErrors($("#stats-content"), summary);
    $("#stats-content").setAttribute("aria-busy", "true");
    try {
      render(await Netra.api.get("/api/v1/statistics"));
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      $("#stats-content").replaceChildren();
      showErrors($("#stats-content"), summary, "Statistik tidak dapat dimuat", [], words.refusal(failure));
    } finally {
      $("#stats-content").removeAttribute("aria-busy");
    }
  }

  Netra.charts = { show };
})(window.Netra = window.Netra || {});
