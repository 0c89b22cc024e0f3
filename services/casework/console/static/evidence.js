/* Screenshots of a case: a thumbnail of each, and the clean (or, for the roles allowed, the
   original) copy on request, each through a grant casework issues for a stated purpose. The
   images live as blob: URLs in this page only and are let go when the member leaves the case. */
"use strict";

(function (Netra) {
  const { el, focus, field, showErrors, clearErrors, problemsOf } = Netra.dom;
  const words = Netra.words;
  const state = { caseId: null, urls: [], thumbnails: new Map() };
  const COPIES = { sanitized: "Salinan bersih (tanpa metadata dan lokasi)", original: "Salinan asli seperti diunggah" };
  const ORIGINAL_WARNING = "Salinan asli adalah berkas persis seperti yang diunggah: dapat memuat metadata, lokasi GPS, " +
    "nama perangkat, atau data pribadi lain. Buka hanya jika salinan bersih tidak cukup; setiap pembukaan tercatat " +
    "atas nama Anda di log bukti.";

  function forget() {
    state.urls.forEach((url) => URL.revokeObjectURL(url));
    state.urls = [];
    state.thumbnails.clear();
    state.caseId = null;
  }

  async function image(kase, item, copy, purpose) {
    const url = await Netra.api.grantedImage(kase.case_id, item.evidence_id, copy, purpose);
    state.urls.push(url);
    return url;
  }

  function thumbnail(kase, item) {
    if (!state.thumbnails.has(item.evidence_id)) {
      state.thumbnails.set(item.evidence_id, image(kase, item, "thumbnail",
        `Pratinjau gambar kecil bukti kasus ${kase.case_number} di konsol tim`));
    }
    return state.thumbnails.get(item.evidence_id);
  }

  function facts(item) {
    const kind = (item.content_type || "").replace("image/", "").toUpperCase() || "gambar";
    const size = item.size ? `${words.number(Math.round(item.size / 1024))} KB` : null;
    const pixels = item.width && item.height ? `${item.width}×${item.height} piksel` : null;
    const by = item.added_by ? "diunggah tim" : null; // the timeline names who (decision 0025)
    return [kind, pixels, size, `diterima ${words.wib(item.received_at)}`, by].filter(Boolean).join(" · ");
  }

  function entry(kase, item, n, viewer) {
    const img = el("img", { alt: `Gambar kecil bukti ${n}`, class: "thumb-image" });
    const button = el("button", { type: "button", class: "thumb", "data-evidence": item.evidence_id },
      img, el("span", {}, `Buka bukti ${n}`));
    button.addEventListener("click", () => openViewer(viewer, kase, item, n));
    thumbnail(kase, item).then((url) => { img.src = url; }, (failure) => {
      if (Netra.app.ended(failure)) return;
      img.replaceWith(el("span", { class: "thumb-missing" }, `Gambar kecil tidak dapat dimuat. ${words.refusal(failure)}`));
    });
    return el("li", {}, button, el("p", { class: "sub" }, facts(item)),
      el("p", { class: "hash" }, `SHA-256: ${item.sha256}`));
  }

  function copyChoice() {
    if (!Netra.app.may("view_original_evidence")) return el("input", { type: "hidden", name: "copy", value: "sanitized" });
    const radios = Object.entries(COPIES).map(([value, label]) => {
      const input = el("input", { type: "radio", name: "copy", value, id: `viewer-copy-${value}`,
                                  checked: value === "sanitized" });
      return el("div", { class: "radio" }, input, el("label", { for: input.id }, label));
    });
    return el("fieldset", {}, el("legend", {}, "Salinan yang dibuka"), radios,
      el("p", { class: "warning", id: "viewer-original-warning" }, ORIGINAL_WARNING));
  }

  function openViewer(viewer, kase, item, n) {
    const title = el("h3", { id: "viewer-title", tabindex: "-1" }, `Bukti ${n}`);
    const purpose = el("input", { name: "purpose", id: "viewer-purpose", maxlength: 500,
                                  value: `Memeriksa bukti kasus ${kase.case_number}` });
    const summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: true });
    const figure = el("figure", { class: "shown", hidden: true });
    const form = el("form", { novalidate: true },
      field("Keperluan membuka bukti (tercatat di log bukti)", purpose,
            "Tuliskan untuk apa Anda membuka bukti ini; boleh diubah.", true),
      copyChoice(),
      el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Tampilkan bukti"),
        el("button", { type: "button", class: "secondary", "data-close": "" }, "Tutup")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const copy = form.elements.copy.value || "sanitized";
      showCopy({ kase, item, n, copy, purpose: purpose.value.trim(), form, summary, figure });
    });
    form.querySelector("[data-close]").addEventListener("click", () => {
      viewer.hidden = true;
      viewer.replaceChildren();
      const opener = document.querySelector(`button.thumb[data-evidence="${item.evidence_id}"]`);
      if (opener) opener.focus();
    });
    viewer.replaceChildren(title, summary, form, figure);
    viewer.hidden = false;
    focus(title);
  }

  async function showCopy({ kase, item, n, copy, purpose, form, summary, figure }) {
    clearErrors(form, summary);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const url = await image(kase, item, copy, purpose);
      const shown = el("img", { src: url, class: "evidence-image", id: "evidence-image",
                                alt: `Bukti ${n} kasus ${kase.case_number}, ${COPIES[copy].toLowerCase()}` });
      figure.replaceChildren(shown, el("figcaption", {},
        `${COPIES[copy]}. Dibuka ${words.wib(new Date().toISOString())}; pembukaan ini tercatat di log bukti.`));
      figure.hidden = false;
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      showErrors(form, summary, "Bukti tidak dapat ditampilkan", problemsOf(failure), words.refusal(failure));
    } finally {
      button.disabled = false;
    }
  }

  const MAX_FILES = 5;
  const MAX_MB = 10;

  /* PNG, JPEG or WebP by the first bytes, as evidence decides (a name or a browser's type can lie). */
  async function isImage(file) {
    const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
    const starts = (...bytes) => bytes.every((b, i) => head[i] === b);
    const text = (from, to) => String.fromCharCode(...head.slice(from, to));
    return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) || starts(0xff, 0xd8, 0xff) ||
      (text(0, 4) === "RIFF" && text(8, 12) === "WEBP");
  }

  /* What is wrong with the chosen screenshots, in words, or null: looked at before anything is sent,
     so a file that is plainly no screenshot never leaves a case filed without it (decision 0025). */
  async function screenshotProblem(files) {
    if (files.length > MAX_FILES) return `Paling banyak ${MAX_FILES} berkas sekali kirim.`;
    for (const file of files) {
      if (file.size === 0) return `Berkas “${file.name}” kosong.`;
      if (file.size > MAX_MB * 1024 * 1024) return `Berkas “${file.name}” lebih dari ${MAX_MB} MB.`;
      if (!(await isImage(file))) return `Berkas “${file.name}” bukan gambar PNG, JPEG, atau WebP.`;
    }
    return null;
  }

  const SCREENSHOT_HINT = `PNG, JPEG, atau WebP; paling banyak ${MAX_FILES} berkas, masing-masing paling besar ` +
    `${MAX_MB} MB. Diperiksa dan disimpan layanan bukti seperti tangkapan layar pelapor.`;

  /* "Tambah tangkapan layar": the team's own screenshots for this case, where the reader may add them now. */
  function addForm(kase) {
    if (!kase.may_add_screenshots) return null;
    const input = el("input", { type: "file", name: "screenshots", id: "add-screenshots", multiple: "",
                                accept: "image/png,image/jpeg,image/webp" });
    const summary = el("div", { class: "error-summary", id: "add-screenshots-errors", role: "alert", tabindex: "-1",
                                hidden: true });
    const form = el("form", { novalidate: true, id: "add-screenshots-form" }, summary,
      field("Tambah tangkapan layar", input, SCREENSHOT_HINT),
      el("button", { type: "submit", class: "secondary" }, "Simpan tangkapan layar"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const files = Array.from(input.files || []);
      const problem = files.length ? await screenshotProblem(files) : "Pilih paling sedikit satu berkas.";
      if (problem) {
        showErrors(form, summary, "Tangkapan layar belum disimpan", [{ field: "screenshots", message: problem }]);
        return;
      }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        await Netra.api.sendFiles(`/api/v1/cases/${encodeURIComponent(kase.case_id)}/screenshots`, files);
        Netra.casefile.show(kase.case_id, `${files.length} tangkapan layar disimpan sebagai bukti.`);
      } catch (failure) {
        if (Netra.app.ended(failure)) return;
        showErrors(form, summary, "Tangkapan layar belum disimpan", [{ field: "screenshots", message: failure.message }]);
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  /* The "Bukti" section of the case file. */
  function section(kase) {
    if (state.caseId !== kase.case_id) { forget(); state.caseId = kase.case_id; }
    const viewer = el("div", { class: "viewer", id: "evidence-viewer", hidden: true });
    const items = kase.evidence || [];
    const list = items.length ? el("ul", { class: "evidence" }, items.map((item, i) => entry(kase, item, i + 1, viewer)))
      : el("p", {}, "Belum ada bukti tangkapan layar yang diterima.");
    const rejected = (kase.rejected_uploads || []).map((r) => words.rejection(r.reason_code));
    return el("section", { class: "panel", "aria-labelledby": "case-evidence-title" },
      el("h2", { id: "case-evidence-title" }, `Bukti tangkapan layar (${items.length})`),
      el("p", { class: "hint" }, "Setiap gambar dibuka lewat izin sementara dan tercatat di log bukti."),
      list,
      rejected.length ? el("p", {}, `Unggahan ditolak pemeriksaan bukti: ${rejected.join("; ")}.`) : null,
      addForm(kase), viewer);
  }

  Netra.evidence = { section, forget, screenshotProblem, SCREENSHOT_HINT };
})(window.Netra = window.Netra || {});
