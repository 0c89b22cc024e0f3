/* Reading the reporter's identity: offered only to the member an approved, still valid
   disclosure names. What the API answers is shown on screen and nowhere else (no storage, no
   address, no log), and it is wiped when the member hides it or leaves the case. */
"use strict";

(function (Netra) {
  const { el, focus } = Netra.dom;
  const words = Netra.words;
  const LABELS = { name: "Nama", email: "E-mail", phone: "Telepon", nik: "NIK", consent_contact: "Bersedia dihubungi",
                   anonymous: "Anonim" };
  let shown = null; // the box holding the identity while it is on screen

  function clear() {
    if (shown) {
      shown.replaceChildren();
      shown.remove();
    }
    shown = null;
  }

  function approvedForMe(kase, me) {
    const now = Date.now();
    return (kase.disclosures || []).find((d) => d.state === "approved" && d.recipient_id === me.user_id &&
      d.valid_until && new Date(d.valid_until).getTime() > now) || null;
  }

  /* Name first, then the numbers and ways to reach the person, then anything else. */
  function ordered(person) {
    const rank = (key) => (key in LABELS ? Object.keys(LABELS).indexOf(key) : 99);
    return Object.entries(person).sort(([a], [b]) => rank(a) - rank(b));
  }

  function value(raw) {
    if (raw === true) return "ya";
    if (raw === false) return "tidak";
    return raw === null || raw === undefined || raw === "" ? "-" : String(raw);
  }

  async function read(kase, holder, button) {
    button.disabled = true;
    clear();
    try {
      const answer = await Netra.api.post(`/api/v1/cases/${encodeURIComponent(kase.case_id)}/identity`);
      const person = answer.identity || {};
      const hide = el("button", { type: "button", class: "secondary" }, "Sembunyikan identitas");
      shown = el("div", { class: "identity", id: "identity-shown", tabindex: "-1" },
        el("p", { class: "warning" }, answer.notice || "Rahasia."),
        el("dl", { class: "facts" }, ordered(person).map(([key, raw]) => [
          el("dt", {}, LABELS[key] || key), el("dd", {}, value(raw))])),
        el("p", { class: "hint" }, "Jangan menyalin, memotret, atau meneruskan data ini selain untuk keperluan yang disetujui."),
        hide);
      hide.addEventListener("click", () => { clear(); button.focus(); });
      holder.append(shown);
      focus(shown);
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      holder.append(el("p", { class: "error", role: "alert" }, words.refusal(failure)));
    } finally {
      button.disabled = false;
    }
  }

  /* The section, or null when no approved disclosure names this member. */
  function section(kase, me) {
    clear();
    const disclosure = approvedForMe(kase, me);
    if (!disclosure) return null;
    const button = el("button", { type: "button", class: "danger" }, "Baca identitas pelapor");
    const holder = el("div", {});
    button.addEventListener("click", () => read(kase, holder, button));
    return el("section", { class: "panel", "aria-labelledby": "case-identity-title" },
      el("h2", { id: "case-identity-title" }, "Identitas pelapor"),
      el("p", { class: "warning" }, `Ketua menyetujui pengungkapan identitas pelapor kepada Anda sampai ` +
        `${words.wib(disclosure.valid_until)}, dengan alasan “${disclosure.reason}”. Setiap pembacaan tercatat di ` +
        "riwayat kasus. Identitas hanya tampil di layar ini dan hilang saat Anda menutupnya atau meninggalkan kasus."),
      button, holder);
  }

  Netra.identity = { section, clear };
})(window.Netra = window.Netra || {});
