/* My account: who I am to the system, whether a ketua has confirmed it yet, and how notify
   reaches me (every message at once, or one digest a day). */
"use strict";

(function (Netra) {
  const { $, el, focus, clearErrors, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;

  function prepare() {
    const choices = $("#preferences-choices");
    Netra.ref.notify_modes.forEach(({ value, label }) => {
      const input = el("input", { type: "radio", name: "notify_mode", value, id: `notify-${value}` });
      choices.append(el("div", { class: "radio" }, input, el("label", { for: input.id }, label)));
    });
    $("#preferences-form").addEventListener("submit", save);
    Netra.signin.prepare();
  }

  function render(me) {
    $("#account-waiting").hidden = me.state !== "awaiting_confirmation";
    $("#account-details").replaceChildren(...[
      ["Nama lengkap", me.full_name], ["Nama pengguna", me.username], ["Peran", words.role(me.role)],
      ["Keadaan akun", words.accountState(me.state)],
      ["Unit kerja", me.work_unit || "-"], ["E-mail", me.email || "(belum ada; minta admin mengisinya)"],
      ["Pemberitahuan", words.notifyMode(me.notify_mode)],
    ].flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
    const chosen = $(`#notify-${me.notify_mode}`);
    if (chosen) chosen.checked = true;
  }

  async function show() {
    Netra.app.showView("account-view");
    focus($("#account-title"));
    $("#preferences-done").textContent = "";
    Netra.signin.show();
    try {
      render(await Netra.api.get("/api/v1/me"));
    } catch (failure) {
      if (!Netra.app.ended(failure)) {
        showErrors($("#preferences-form"), $("#account-errors"), "Akun tidak dapat dimuat", [], words.refusal(failure));
      }
    }
  }

  async function save(event) {
    event.preventDefault();
    const form = event.target;
    const summary = $("#account-errors");
    clearErrors(form, summary);
    const chosen = form.elements.notify_mode.value;
    try {
      const me = await Netra.api.post("/api/v1/me/preferences", chosen ? { notify_mode: chosen } : {});
      render(me);
      $("#preferences-done").textContent = `Tersimpan: ${words.notifyMode(me.notify_mode)}.`;
    } catch (failure) {
      if (!Netra.app.ended(failure)) {
        showErrors(form, summary, "Pilihan belum tersimpan", problemsOf(failure), words.refusal(failure));
      }
    }
  }

  Netra.account = { prepare, show, leave: () => Netra.signin.leave() };
})(window.Netra = window.Netra || {});
