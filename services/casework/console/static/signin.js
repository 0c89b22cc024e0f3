/* "Akun saya": the member changes their own password, or moves to a new authenticator, proving
   the current password and a code each time. The new authenticator key is shown on this screen
   alone, kept only in this page's memory with the ticket that lets this session confirm it, and
   wiped when the member leaves the page or finishes. */
"use strict";

(function (Netra) {
  const { $, el, focus, field, clearErrors, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;
  const api = Netra.api;
  let pending = null; // {totp_secret, totp_uri, ticket} between starting and confirming

  const grouped = (secret) => String(secret).match(/.{1,4}/g).join(" ");
  const digits = (value) => value.replace(/\s+/g, "");

  function input(name, type, autocomplete) {
    const attributes = { name, type, autocomplete, required: true, maxlength: 256 };
    if (type === "otp") Object.assign(attributes, { type: "text", inputmode: "numeric", maxlength: 7 });
    return el("input", attributes);
  }

  function passwordForm() {
    const node = el("form", { id: "password-form", novalidate: true },
      field("Kata sandi saat ini", input("current_password", "password", "current-password"), null, true),
      field("Kode OTP dari aplikasi autentikator (6 angka)", input("otp", "otp", "one-time-code"), null, true),
      field("Kata sandi baru", input("new_password", "password", "new-password"),
            "Paling sedikit 12 karakter, tidak memuat nama pengguna Anda.", true),
      field("Ulangi kata sandi baru", input("new_password_again", "password", "new-password"), null, true),
      el("button", { type: "submit", class: "primary" }, "Ganti kata sandi"),
      el("p", { id: "password-done", class: "note", role: "status" }));
    node.addEventListener("submit", changePassword);
    return node;
  }

  function startButton() {
    const button = el("button", { type: "button", id: "totp-start", class: "secondary" }, "Buat kunci autentikator baru");
    button.addEventListener("click", startTotp);
    return el("div", {}, button, el("p", { id: "totp-done", class: "note", role: "status" }));
  }

  function prepare() {}

  function show() {
    pending = null;
    clearErrors($("#password-part"), $("#password-errors"));
    clearErrors($("#totp-part"), $("#totp-errors"));
    $("#password-part").replaceChildren(passwordForm());
    $("#totp-part").replaceChildren(startButton());
  }

  function leave() {
    pending = null;
    $("#totp-part").replaceChildren(); // the new key leaves the page with the member
    $("#password-part").replaceChildren();
  }

  async function changePassword(event) {
    event.preventDefault();
    const node = event.target;
    const summary = $("#password-errors");
    const body = { current_password: node.elements.current_password.value, otp: digits(node.elements.otp.value),
                   new_password: node.elements.new_password.value };
    const problems = [];
    if (!body.current_password) problems.push({ field: "current_password", message: "Kata sandi saat ini wajib diisi." });
    if (!/^\d{6}$/.test(body.otp)) problems.push({ field: "otp", message: "Kode OTP harus 6 angka." });
    if (!body.new_password) problems.push({ field: "new_password", message: "Kata sandi baru wajib diisi." });
    else if (body.new_password !== node.elements.new_password_again.value) {
      problems.push({ field: "new_password_again", message: "Kedua kata sandi baru tidak sama." });
    }
    if (problems.length) { showErrors(node, summary, "Kata sandi belum diganti", problems); return; }
    const button = node.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const done = await api.post("/api/v1/me/password", body);
      clearErrors(node, summary);
      node.reset();
      $("#password-done").textContent = done.message;
      focus($("#password-done"));
    } catch (failure) {
      node.elements.otp.value = ""; // a code is good once
      if (!Netra.app.ended(failure)) {
        showErrors(node, summary, "Kata sandi belum diganti", problemsOf(failure), words.refusal(failure));
      }
    } finally {
      button.disabled = false;
    }
  }

  function totpForm() {
    const node = el("form", { id: "totp-form", novalidate: true },
      el("p", {}, "Di aplikasi autentikator yang baru, tambahkan akun dengan kunci berikut (jenis: berbasis waktu). " +
        "Jangan tunjukkan kunci ini kepada siapa pun; kunci ini berlaku " + pending.valid_minutes + " menit."),
      el("p", { class: "secret" }, el("code", { id: "totp-secret" }, grouped(pending.totp_secret))),
      el("p", {}, "Atau salin alamat ini ke aplikasi yang menerimanya:"),
      el("p", { class: "secret" }, el("code", { id: "totp-uri" }, pending.totp_uri)),
      field("Kode dari autentikator BARU (6 angka)", input("new_otp", "otp", "one-time-code"), null, true),
      field("Kata sandi saat ini", input("password", "password", "current-password"), null, true),
      field("Kode dari autentikator LAMA (6 angka)", input("otp", "otp", "off"),
            "Kode dari aplikasi yang Anda pakai untuk masuk sampai sekarang.", true),
      el("button", { type: "submit", class: "primary" }, "Pakai autentikator baru"));
    node.addEventListener("submit", changeTotp);
    return node;
  }

  async function startTotp() {
    const summary = $("#totp-errors");
    clearErrors($("#totp-part"), summary);
    try {
      pending = await api.post("/api/v1/me/totp", {});
      $("#totp-part").replaceChildren(totpForm());
      focus($("#totp-secret"));
    } catch (failure) {
      if (!Netra.app.ended(failure)) showErrors($("#totp-part"), summary, "Kunci baru tidak dapat dibuat", [], words.refusal(failure));
    }
  }

  async function changeTotp(event) {
    event.preventDefault();
    const node = event.target;
    const summary = $("#totp-errors");
    const body = { new_totp_secret: pending.totp_secret, ticket: pending.ticket,
                   new_otp: digits(node.elements.new_otp.value), password: node.elements.password.value,
                   otp: digits(node.elements.otp.value) };
    const problems = [];
    if (!/^\d{6}$/.test(body.new_otp)) problems.push({ field: "new_otp", message: "Kode harus 6 angka." });
    if (!body.password) problems.push({ field: "password", message: "Kata sandi saat ini wajib diisi." });
    if (!/^\d{6}$/.test(body.otp)) problems.push({ field: "otp", message: "Kode harus 6 angka." });
    if (problems.length) { showErrors(node, summary, "Autentikator belum diganti", problems); return; }
    const button = node.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const done = await api.post("/api/v1/me/totp/confirm", body);
      pending = null;
      clearErrors(node, summary);
      $("#totp-part").replaceChildren(startButton());
      $("#totp-done").textContent = done.message;
      focus($("#totp-done"));
    } catch (failure) {
      node.elements.new_otp.value = "";
      node.elements.otp.value = "";
      if (failure.code === "totp_ticket_invalid") { // too old: start again from a new key
        pending = null;
        $("#totp-part").replaceChildren(startButton());
        showErrors($("#totp-part"), summary, "Autentikator belum diganti", [], words.refusal(failure));
      } else if (!Netra.app.ended(failure)) {
        showErrors(node, summary, "Autentikator belum diganti", problemsOf(failure), words.refusal(failure));
      }
    } finally {
      button.disabled = false;
    }
  }

  Netra.signin = { prepare, show, leave };
})(window.Netra = window.Netra || {});
