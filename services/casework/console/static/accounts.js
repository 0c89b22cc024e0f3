/* The team's accounts: a ketua confirms the ones that await it, after checking with the person
   what the account names; an admin makes accounts (the holder then enrols from the e-mail) and
   changes, resets or deactivates them. Nothing here ever shows a password, a code or a key: the
   API never answers one. */
"use strict";

(function (Netra) {
  const { $, el, focus, field, clearErrors, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;
  const api = Netra.api;
  const COLUMNS = ["Nama", "Nama pengguna", "Peran", "Unit kerja", "E-mail", "Keadaan"];

  const may = (action) => Netra.app.may(action);
  const me = () => Netra.app.me || {};

  function done(text) {
    const note = $("#accounts-done");
    note.textContent = text;
    if (text) focus(note);
  }

  function refused(failure, title) {
    if (Netra.app.ended(failure)) return;
    showErrors($("#accounts-view"), $("#accounts-errors"), title, [], words.refusal(failure));
  }

  async function show() {
    Netra.app.showView("accounts-view");
    focus($("#accounts-title"));
    $("#accounts-done").textContent = "";
    $("#accounts-create").replaceChildren(...(may("manage_accounts") ? createForm() : []));
    await load();
  }

  async function load() {
    clearErrors($("#accounts-view"), $("#accounts-errors"));
    try {
      const accounts = await api.get("/api/v1/users");
      $("#accounts-confirm").replaceChildren(...(may("confirm_accounts") ? confirmPart(accounts) : []),
                                             ...(may("grant_vault") ? vaultPart(accounts) : []));
      $("#accounts-list").replaceChildren(table(accounts));
    } catch (failure) {
      refused(failure, "Daftar akun tidak dapat dimuat");
    }
  }

  function facts(account) {
    return el("dl", { class: "facts" }, [
      ["Nama lengkap", account.full_name], ["Nama pengguna", account.username], ["Peran", words.role(account.role)],
      ["Unit kerja", account.work_unit || "-"], ["E-mail", account.email || "-"],
    ].flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  }

  // ------------------------------------------------------------------ a ketua's confirmation

  function confirmPart(accounts) {
    const waiting = accounts.filter((a) => a.state === "awaiting_confirmation" && a.user_id !== me().user_id);
    const items = waiting.map((account) => {
      const item = el("li", { class: "awaiting", "data-user": account.username }, el("h3", {}, account.full_name),
                      facts(account));
      const check = el("button", { type: "button", class: "secondary" }, `Periksa dan konfirmasi ${account.full_name}`);
      check.addEventListener("click", () => item.replaceChildren(...confirmStep(account, item)));
      item.append(el("div", { class: "actions" }, check));
      return item;
    });
    return [el("h2", {}, "Menunggu konfirmasi Anda"),
            items.length ? el("ul", { class: "cards" }, items) : el("p", {}, "Tidak ada akun yang menunggu konfirmasi.")];
  }

  function confirmStep(account, item) {
    const yes = el("button", { type: "button", class: "primary" }, "Ya, konfirmasi akun ini");
    const no = el("button", { type: "button", class: "secondary" }, "Batal");
    yes.addEventListener("click", () => confirm(account));
    no.addEventListener("click", load);
    const warning = el("p", { class: "warning", tabindex: "-1" }, "Dengan mengonfirmasi, Anda menjamin bahwa akun ini " +
      "milik orang yang disebut di bawah, dengan peran, unit kerja, dan e-mail ini. Pastikan langsung kepada " +
      "orangnya (bukan lewat admin) sebelum melanjutkan.");
    setTimeout(() => focus(warning));
    return [el("h3", {}, `Konfirmasi akun ${account.full_name}`), warning, facts(account),
            el("div", { class: "actions" }, yes, no)];
  }

  async function confirm(account) {
    try {
      const confirmed = await api.post(`/api/v1/users/${encodeURIComponent(account.user_id)}/confirm`,
                                       { expected_version: account.version });
      const c = confirmed.confirmed;
      await load();
      done(`Akun ${c.full_name} dikonfirmasi: ${words.role(c.role)}, unit kerja ${c.work_unit || "-"}, ` +
           `e-mail ${c.email || "-"}.`);
    } catch (failure) {
      await load();
      refused(failure, "Akun belum dikonfirmasi");
    }
  }

  // ------------------------------------------------------------------ the identity vault

  // A ketua who holds the vault gives it to another active ketua (docs/decisions/0017): its key is
  // sealed to that ketua's own key. Neither an admin nor the server can.
  function vaultPart(accounts) {
    const others = accounts.filter((a) => a.role === "ketua" && a.state === "active" && a.user_id !== me().user_id);
    if (!others.length) return [];
    const items = others.map((account) => {
      const give = el("button", { type: "button", class: "secondary" },
                      `Beri akses brankas identitas kepada ${account.full_name}`);
      give.addEventListener("click", () => grantVault(account));
      return el("li", { "data-user": account.username }, give);
    });
    return [el("h2", {}, "Brankas identitas pelapor"),
            el("p", { class: "hint" }, "Ketua yang menyetujui pengungkapan identitas harus memegang kunci brankas. " +
               "Beri hanya kepada ketua aktif yang sudah Anda kenal; setiap pemberian tercatat dan dikirim ke " +
               "semua ketua."),
            el("ul", { class: "cards" }, items)];
  }

  async function grantVault(account) {
    try {
      await api.post(`/api/v1/users/${encodeURIComponent(account.user_id)}/vault-grant`, {});
      await load();
      done(`${account.full_name} kini memegang akses brankas identitas.`);
    } catch (failure) {
      refused(failure, "Akses brankas belum diberikan");
    }
  }

  // ------------------------------------------------------------------ the list

  function table(accounts) {
    const manage = may("manage_accounts");
    const head = el("tr", {}, [...COLUMNS, ...(manage ? ["Kelola"] : [])].map((c) => el("th", { scope: "col" }, c)));
    const rows = accounts.map((a) => el("tr", { "data-user": a.username },
      el("th", { scope: "row", "data-label": "Nama" }, a.full_name), el("td", { "data-label": "Nama pengguna" }, a.username),
      el("td", { "data-label": "Peran" }, words.role(a.role)), el("td", { "data-label": "Unit kerja" }, a.work_unit || "-"),
      el("td", { "data-label": "E-mail" }, a.email || "-"),
      el("td", { "data-label": "Keadaan" }, el("span", { class: "status" }, words.accountState(a.state))),
      manage ? el("td", { "data-label": "Kelola" }, a.state === "inactive" || a.user_id === me().user_id ? "-" : manageBox(a))
        : null));
    return el("table", { class: "queue accounts" }, el("caption", {}, `Semua akun (${accounts.length})`),
              el("thead", {}, head), el("tbody", {}, rows));
  }

  // ------------------------------------------------------------------ an admin's changes

  function createForm() {
    const roles = el("select", { name: "role", required: true });
    Netra.forms.choices(roles, Netra.ref.account_roles);
    const node = el("form", { id: "accounts-create-form", novalidate: true },
      el("div", { class: "grid" },
        field("Nama pengguna", el("input", { name: "username", required: true, maxlength: 64, autocapitalize: "none",
                                             spellcheck: "false", autocomplete: "off" }),
              "Huruf kecil, angka, titik, garis bawah atau tanda hubung; 3 sampai 64 karakter.", true),
        field("Nama lengkap", el("input", { name: "full_name", required: true, maxlength: 200 }), null, true),
        field("Peran", roles, null, true),
        field("Unit kerja", el("input", { name: "work_unit", maxlength: 200 }), "Untuk pengecualian kasus unit kerja sendiri."),
        field("E-mail", el("input", { name: "email", type: "email", required: true, maxlength: 254 }),
              "Kode pendaftaran dikirim ke alamat ini, hanya untuk pemilik akun.", true)),
      el("button", { type: "submit", class: "primary" }, "Buat akun dan kirim kode pendaftaran"));
    node.addEventListener("submit", create);
    return [el("h2", {}, "Buat akun"), node];
  }

  async function create(event) {
    event.preventDefault();
    const node = event.target;
    const body = {};
    ["username", "full_name", "role", "work_unit", "email"].forEach((name) => {
      const value = node.elements[name].value.trim();
      if (value) body[name] = value;
    });
    clearErrors(node, $("#accounts-errors"));
    try {
      const made = await api.post("/api/v1/users", body);
      node.reset();
      await load();
      done(`Akun ${made.username} dibuat. Kode pendaftaran dikirim ke ${made.email}, berlaku sampai ` +
           `${words.wib(made.enrolment_expires_at)}.`);
    } catch (failure) {
      if (!Netra.app.ended(failure)) {
        showErrors(node, $("#accounts-errors"), "Akun belum dibuat", problemsOf(failure), words.refusal(failure));
      }
    }
  }

  function manageBox(account) {
    const roles = el("select", { name: "role", "aria-label": `Peran baru untuk ${account.username}` });
    Netra.forms.choices(roles, Netra.ref.account_roles.filter((r) => r.value !== account.role));
    const email = el("input", { name: "email", type: "email", maxlength: 254,
                                "aria-label": `E-mail baru untuk ${account.username}` });
    return el("details", { class: "command" }, el("summary", {}, `Kelola ${account.username}`),
      change(account, "role", roles, "Ubah peran", () => ({ role: roles.value })),
      change(account, "email", email, "Ubah e-mail", () => ({ email: email.value.trim() })),
      step(account, "reset-enrolment", "Atur ulang pendaftaran", "Kata sandi dan TOTP-nya dihapus; kode baru dikirim " +
           "ke e-mailnya; ketua mengonfirmasi lagi."),
      step(account, "deactivate", "Nonaktifkan", "Semua sesinya berakhir dan akun ini tidak dapat dipakai lagi."));
  }

  function change(account, path, control, label, body) {
    const button = el("button", { type: "button", class: "secondary" }, label);
    button.addEventListener("click", () => act(account, path, body()));
    return el("div", { class: "parts" }, el("div", { class: "field" }, control), button);
  }

  function step(account, path, label, explained) {
    const box = el("div", { class: "actions" });
    const first = el("button", { type: "button", class: path === "deactivate" ? "danger" : "secondary" }, label);
    first.addEventListener("click", () => {
      const sure = el("button", { type: "button", class: "danger" }, `Ya, ${label.toLowerCase()} ${account.username}`);
      sure.addEventListener("click", () => act(account, path, {}));
      box.replaceChildren(el("p", {}, explained), sure);
      focus(sure);
    });
    box.append(first);
    return box;
  }

  // What was done, said with the account's new state: two changes in a row read differently.
  const DONE = {
    role: (a) => `Peran akun ${a.username} diubah menjadi ${words.role(a.role)}.`,
    email: (a) => `E-mail akun ${a.username} diubah menjadi ${a.email}.`,
    "reset-enrolment": (a) => `Pendaftaran akun ${a.username} diatur ulang; kode baru dikirim ke ${a.email}.`,
    deactivate: (a) => `Akun ${a.username} dinonaktifkan.`,
  };

  async function act(account, path, body) {
    try {
      const changed = await api.post(`/api/v1/users/${encodeURIComponent(account.user_id)}/${path}`, body);
      await load();
      done(`${DONE[path] ? DONE[path](changed) + " " : ""}Keadaan: ${words.accountState(changed.state)}.`);
    } catch (failure) {
      refused(failure, "Perubahan akun ditolak");
    }
  }

  Netra.accounts = { show };
})(window.Netra = window.Netra || {});
