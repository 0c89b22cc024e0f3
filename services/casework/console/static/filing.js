/* Filing a case from the team's own monitoring (POST /api/v1/cases): the same facts a
   complaint carries, without a reporter. Field names follow the API's, so its per-field
   refusals land next to the right field. Screenshots are looked at here first (kind, size),
   so a file that is plainly no screenshot never leaves a case filed without it; then the case
   is filed and they are handed in (POST /api/v1/cases/{id}/screenshots, decision 0025). */
"use strict";

(function (Netra) {
  const { $, $$, el, field, clearErrors, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;

  function select(name, id, options, empty) {
    const node = el("select", { name, id }, el("option", { value: "" }, empty));
    options.forEach(({ value, label }) => node.append(el("option", { value }, label)));
    return node;
  }

  function violationChoices() {
    return el("fieldset", { class: "choices" }, el("legend", {}, "Jenis pelanggaran *"),
      Netra.ref.violation_types.map(({ value, label }) => {
        const input = el("input", { type: "checkbox", name: "violation_types", value, id: `file-violation-${value}` });
        return el("div", { class: "radio" }, input, el("label", { for: input.id }, label));
      }));
  }

  function prepare() {
    const ref = Netra.ref;
    const form = $("#file-form");
    form.append(
      el("fieldset", {}, el("legend", {}, "ASN yang dilaporkan"),
        field("Nama ASN", el("input", { name: "reported.name", id: "file-name", maxlength: 200, autocomplete: "off" }), null, true),
        field("NIP (jika tahu)", el("input", { name: "reported.nip", id: "file-nip", inputmode: "numeric", maxlength: 24,
                                                autocomplete: "off" }), "18 angka, boleh dengan spasi."),
        field("Jabatan", el("input", { name: "reported.position", id: "file-position", maxlength: 200, autocomplete: "off" })),
        // The same closed list as the portal and the statistics; a unit not in it is typed in words.
        field("Unit kerja (OPD)", el("input", { name: "reported.work_unit", id: "file-work-unit", maxlength: 200,
                                                autocomplete: "off", list: "file-work-units" }),
              "Pilih dari daftar; unit yang tidak ada di daftar, tulis namanya."),
        el("datalist", { id: "file-work-units" }, Object.values(ref.work_units || {}).flat()
          .map((name) => el("option", { value: name }))),
        field("Kecamatan", select("reported.kecamatan", "file-kecamatan",
                                  ref.kecamatan.map((k) => ({ value: k, label: k })), "Tidak tahu"))),
      el("fieldset", {}, el("legend", {}, "Unggahan yang ditemukan"),
        field("Platform", select("platform", "file-platform", ref.platforms, "Pilih…"), null, true),
        field("Tautan unggahan", el("textarea", { name: "post_urls", id: "file-post-urls", rows: 3 }),
              "Satu tautan per baris, paling banyak 10."),
        field("Nama akun pengunggah", el("input", { name: "account_handle", id: "file-account", maxlength: 200,
                                                    autocomplete: "off" })),
        el("div", { class: "parts" },
          field("Tanggal kejadian", el("input", { type: "date", name: "occurred_at", id: "file-date" }), null, true),
          field("Jam (WIB)", el("input", { type: "time", name: "occurred_time", id: "file-time" }), null, true)),
        violationChoices(),
        field("Uraian", el("textarea", { name: "description", id: "file-description", rows: 5, maxlength: 5000 }),
              "Apa yang dilakukan ASN, paling sedikit 10 karakter.", true),
        field("Tangkapan layar", el("input", { type: "file", name: "screenshots", id: "file-screenshots", multiple: "",
                                               accept: "image/png,image/jpeg,image/webp" }),
              Netra.evidence.SCREENSHOT_HINT)),
      el("button", { type: "submit", class: "primary" }, "Catat kasus"));
    form.addEventListener("submit", submit);
  }

  const value = (form, name) => form.elements[name].value.trim();
  const orNull = (text) => text || null;
  const given = (text) => text || undefined; // left out: the API then says it is required

  function body(form) {
    const nip = value(form, "reported.nip").replace(/\s+/g, "");
    const date = value(form, "occurred_at");
    const time = value(form, "occurred_time");
    const filing = {
      reported: { name: given(value(form, "reported.name")), nip: orNull(nip),
                  position: orNull(value(form, "reported.position")),
                  work_unit: orNull(value(form, "reported.work_unit")),
                  kecamatan: orNull(value(form, "reported.kecamatan")) },
      platform: value(form, "platform"),
      post_urls: value(form, "post_urls").split(/\s*\n\s*/).filter(Boolean),
      account_handle: orNull(value(form, "account_handle")),
      violation_types: $$("input[name=violation_types]:checked", form).map((input) => input.value),
      description: given(value(form, "description")),
    };
    if (date && time) filing.occurred_at = `${date}T${time}:00+07:00`; // what the member typed is WIB
    if (!filing.platform) delete filing.platform;
    return filing;
  }

  async function submit(event) {
    event.preventDefault();
    const form = event.target;
    const summary = $("#file-errors");
    const filing = body(form);
    const button = form.querySelector("button[type=submit]");
    const files = Array.from(form.elements.screenshots.files || []);
    const problem = await Netra.evidence.screenshotProblem(files);
    if (problem) {
      showErrors(form, summary, "Kasus belum dapat dicatat", [{ field: "screenshots", message: problem }],
                 "Tidak ada yang dicatat atau dikirim. Pilih tangkapan layar yang benar, lalu catat lagi.");
      return;
    }
    button.disabled = true;
    try {
      const filed = await Netra.api.post("/api/v1/cases", filing);
      let note = `Kasus ${filed.case_number} telah dicatat.`;
      if (files.length) {
        try {
          await Netra.api.sendFiles(`/api/v1/cases/${encodeURIComponent(filed.case_id)}/screenshots`, files);
          note = `Kasus ${filed.case_number} telah dicatat dengan ${files.length} tangkapan layar.`;
        } catch (refused) {
          if (Netra.app.ended(refused)) return;
          note = `Kasus ${filed.case_number} telah dicatat, tetapi tangkapan layar tidak disimpan: ${refused.message}`;
        }
      }
      form.reset();
      clearErrors(form, summary);
      Netra.casefile.pending = note;
      location.hash = `#/kasus/${encodeURIComponent(filed.case_id)}`;
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      showErrors(form, summary, "Kasus belum dapat dicatat", problemsOf(failure), words.refusal(failure));
    } finally {
      button.disabled = false;
    }
  }

  async function show() {
    Netra.app.showView("file-view");
    Netra.dom.focus($("#file-title"));
  }

  Netra.filing = { prepare, show };
})(window.Netra = window.Netra || {});
