/* Enrolment: the holder of a new (or reset) account sets their own password and TOTP with the
   one-time code from their e-mail (the link leads to #/pendaftaran/<code>).

   The code leaves the address bar at once (and with it the browser's history): it stays in this
   page's memory only, and goes to the API in a request body, never in a URL. The authenticator
   key is shown on this screen alone and wiped when the member leaves the page. */
"use strict";

(function (Netra) {
  const { $, el, focus, field, clearErrors, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;
  const api = Netra.api;
  let code = null;

  /* The key in groups of four, as authenticator apps show and people type it. */
  const grouped = (secret) => String(secret).match(/.{1,4}/g).join(" ");

  async function show(arg) {
    if (arg) {
      code = arg;
      history.replaceState(null, "", `${location.pathname}${location.search}#/pendaftaran`);
    }
    Netra.app.showView("enrol-view");
    focus($("#enrol-title"));
    const summary = $("#enrol-errors");
    clearErrors($("#enrol-content"), summary);
    $("#enrol-content").replaceChildren();
    if (!code) {
      showErrors($("#enrol-content"), summary, "Kode pendaftaran tidak ada", [],
                 "Buka tautan dari e-mail pendaftaran Anda, atau minta admin mengirim kode baru.");
      return;
    }
    try {
      render(await api.post("/api/v1/enrolment/open", { code }, { signedIn: false }));
    } catch (failure) {
      showErrors($("#enrol-content"), summary, "Pendaftaran tidak dapat dibuka", [], words.refusal(failure));
    }
  }

  function facts(account) {
    return el("dl", { class: "facts" }, [
      ["Nama lengkap", account.full_name], ["Nama pengguna", account.username], ["Peran", words.role(account.role)],
      ["Unit kerja", account.work_unit || "-"], ["E-mail", account.email || "-"],
      ["Kode berlaku sampai", words.wib(account.expires_at)],
    ].flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  }

  function secretPart(account) {
    return [
      el("h2", {}, "1. Pasang aplikasi autentikator"),
      el("p", {}, "Di aplikasi autentikator ponsel Anda (misalnya Aegis, FreeOTP, atau Google Authenticator), " +
        "tambahkan akun dengan kunci berikut (jenis: berbasis waktu):"),
      el("p", { class: "secret" }, el("code", { id: "enrol-secret" }, grouped(account.totp_secret))),
      el("p", {}, "Atau salin alamat ini ke aplikasi yang menerimanya:"),
      el("p", { class: "secret" }, el("code", { id: "enrol-uri" }, account.totp_uri)),
    ];
  }

  function form() {
    const password = el("input", { name: "password", type: "password", autocomplete: "new-password",
                                   required: true, maxlength: 256 });
    const again = el("input", { name: "password_again", type: "password", autocomplete: "new-password",
                                required: true, maxlength: 256 });
    const otp = el("input", { name: "otp", inputmode: "numeric", autocomplete: "one-time-code", required: true,
                              maxlength: 7 });
    const node = el("form", { id: "enrol-form", novalidate: true },
      field("Kata sandi baru", password, "Paling sedikit 12 karakter, tidak memuat nama pengguna Anda.", true),
      field("Ulangi kata sandi", again, null, true),
      field("Kode OTP dari aplikasi autentikator (6 angka)", otp,
            "Kode yang tampil di aplikasi setelah kunci di atas dimasukkan.", true),
      el("button", { type: "submit", class: "primary" }, "Selesaikan pendaftaran"));
    node.addEventListener("submit", submit);
    return node;
  }

  function render(account) {
    $("#enrol-content").replaceChildren(facts(account), ...secretPart(account), el("h2", {}, "2. Kata sandi dan kode"),
      account.needs_confirmation ? el("p", {}, "Setelah Anda selesai, akun ini menunggu konfirmasi ketua tim " +
        "sebelum dapat dipakai untuk kasus.") : null, form());
  }

  async function submit(event) {
    event.preventDefault();
    const node = event.target;
    const summary = $("#enrol-errors");
    const password = node.elements.password.value;
    const otp = node.elements.otp.value.replace(/\s+/g, "");
    const problems = [];
    if (!password) problems.push({ field: "password", message: "Kata sandi wajib diisi." });
    if (password !== node.elements.password_again.value) {
      problems.push({ field: "password_again", message: "Kedua kata sandi tidak sama." });
    }
    if (!/^\d{6}$/.test(otp)) problems.push({ field: "otp", message: "Kode OTP harus 6 angka." });
    if (problems.length) { showErrors(node, summary, "Pendaftaran belum selesai", problems); return; }
    const button = node.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const done = await api.post("/api/v1/enrolment/complete", { code, password, otp }, { signedIn: false });
      code = null;
      clearErrors(node, summary);
      $("#enrol-content").replaceChildren(el("p", { class: "note", id: "enrol-done", role: "status" }, done.message),
                                          el("p", {}, el("a", { href: "#/antrean" }, "Masuk ke konsol")));
      focus($("#enrol-done"));
    } catch (failure) {
      node.elements.otp.value = ""; // a code is good once
      showErrors(node, summary, "Pendaftaran belum selesai", problemsOf(failure), words.refusal(failure));
    } finally {
      button.disabled = false;
    }
  }

  function leave() {
    $("#enrol-content").replaceChildren(); // the authenticator key leaves the page with the member
  }

  Netra.enrol = { show, leave };
})(window.Netra = window.Netra || {});
