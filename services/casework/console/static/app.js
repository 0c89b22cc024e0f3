/* The console's frame: logging in and out, the menu, and which view the address (#/...) shows.
   The address names a view or a case id, never a token and never anything about a reporter
   (an enrolment code arrives in it from an e-mail's link and is taken out at once: enrol.js).
   An account that awaits a ketua's confirmation sees its own account and nothing else. */
"use strict";

(function (Netra) {
  const { $, $$, focus, clearErrors, showErrors, problemsOf } = Netra.dom;
  const api = Netra.api;
  const words = Netra.words;
  const VIEWS = ["login-view", "queue-view", "case-view", "stats-view", "file-view", "account-view", "accounts-view",
                 "audit-view", "enrol-view"];
  const state = { me: null, wanted: null, current: null };

  const app = {
    get me() { return state.me; },
    may(action) {
      return Boolean(state.me) && state.me.state === "active" &&
        ((Netra.ref.permissions || {})[action] || []).includes(state.me.role);
    },
    showView(id) { VIEWS.forEach((view) => { $(`#${view}`).hidden = view !== id; }); },
    notice(text, kind) {
      const box = $("#notice");
      box.className = `notice ${kind || ""}`.trim();
      box.textContent = text;
      box.hidden = !text;
    },
    /* True when a failure was the end of the session: the login screen is already showing. */
    ended: (failure) => failure && failure.status === 401,
  };

  // ------------------------------------------------------------------ routes

  function parse(hash) {
    const [name, arg] = hash.replace(/^#\/?/, "").split("/");
    return { name: name || "", arg: arg ? decodeURIComponent(arg) : null };
  }

  const ROUTES = () => ({ antrean: Netra.queue, kasus: Netra.casefile, statistik: Netra.charts,
                          "kasus-baru": Netra.filing, akun: Netra.account, "akun-tim": Netra.accounts,
                          "audit-akun": Netra.audit });
  // The view each route needs a permission for, and where a member lands who may not see it.
  const NEEDS = { antrean: "view_cases", kasus: "view_cases", statistik: "view_statistics",
                  "kasus-baru": "file_case", "akun-tim": "view_accounts", "audit-akun": "view_account_audit" };

  function landing() {
    if (app.may("view_cases")) return "antrean";
    return app.may("view_accounts") ? "akun-tim" : "akun";
  }

  function leaveCurrent() {
    if (state.current && state.current.leave) state.current.leave();
    state.current = null;
  }

  async function route() {
    const hash = location.hash;
    if (hash && !hash.startsWith("#/")) return; // an in-page link, not a view
    leaveCurrent();
    let { name, arg } = parse(hash);
    if (name === "pendaftaran") { state.current = Netra.enrol; await Netra.enrol.show(arg); return; }
    if (!state.me) { state.wanted = hash; showLogin(); return; }
    if (!ROUTES()[name] || (NEEDS[name] && !app.may(NEEDS[name]))) name = landing();
    const view = ROUTES()[name];
    $$("#menu a[data-route]").forEach((link) => {
      if (link.dataset.route === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    state.current = view;
    await view.show(arg);
  }

  // ------------------------------------------------------------------ logging in and out

  function showLogin(message, kind) {
    $("#menu").hidden = true;
    $("#who").hidden = true;
    app.showView("login-view");
    if (message) app.notice(message, kind || "bad");
    focus($("#login-title"));
  }

  function signedIn() {
    const me = state.me;
    $("#who").textContent = `${me.full_name} (${words.role(me.role)})`;
    $("#who").hidden = false;
    $$("#menu [data-needs]").forEach((link) => { link.closest("li").hidden = !app.may(link.dataset.needs); });
    $("#menu").hidden = false;
  }

  function loginProblems(values) {
    const problems = [];
    if (!values.username) problems.push({ field: "username", message: "Nama pengguna wajib diisi." });
    if (!values.password) problems.push({ field: "password", message: "Kata sandi wajib diisi." });
    if (!/^\d{6}$/.test(values.otp)) problems.push({ field: "otp", message: "Kode OTP harus 6 angka." });
    return problems;
  }

  async function logIn(event) {
    event.preventDefault();
    const form = $("#login-form");
    const summary = $("#login-errors");
    const values = { username: form.elements.username.value.trim(), password: form.elements.password.value,
                     otp: form.elements.otp.value.replace(/\s+/g, "") };
    const problems = loginProblems(values);
    if (problems.length) { showErrors(form, summary, "Belum dapat masuk", problems); return; }
    const button = $("#login-submit");
    button.disabled = true;
    try {
      const answer = await api.post("/api/v1/auth/login", values, { signedIn: false });
      api.session.keep(answer.token);
      state.me = answer.user;
      Netra.session.start(answer);
      form.reset();
      clearErrors(form, summary);
      app.notice("");
      signedIn();
      const wanted = state.wanted && state.wanted.startsWith("#/") ? state.wanted : `#/${landing()}`;
      state.wanted = null;
      if (location.hash === wanted) route(); else location.hash = wanted;
    } catch (failure) {
      form.elements.otp.value = ""; // each code is good for one login only
      showErrors(form, summary, "Belum dapat masuk", problemsOf(failure), words.refusal(failure));
    } finally {
      button.disabled = false;
    }
  }

  /* The API's words say why (idle, lifetime, the account changed) when it knows the session. */
  function sessionEnded(failure) {
    Netra.session.stop();
    api.session.forget();
    state.me = null;
    state.wanted = location.hash;
    leaveCurrent();
    const told = failure && failure.details && failure.details.reason && failure.message;
    showLogin(told || "Sesi Anda telah berakhir atau tidak berlaku lagi. Silakan masuk kembali.");
  }

  async function logOut() {
    try {
      await api.post("/api/v1/auth/logout");
    } catch (failure) {
      if (!app.ended(failure)) { app.notice(words.refusal(failure), "bad"); return; }
    }
    Netra.session.stop();
    api.session.forget();
    state.me = null;
    state.wanted = null;
    leaveCurrent();
    showLogin("Anda telah keluar. Sampai jumpa.", "good");
  }

  // ------------------------------------------------------------------ start

  async function boot() {
    $("#login-form").addEventListener("submit", logIn);
    $("#logout").addEventListener("click", logOut);
    api.whenSessionEnds(sessionEnded);
    try {
      Netra.ref = await api.get("/console/reference.json", { signedIn: false });
    } catch (failure) {
      app.notice(`Konsol belum dapat dimuat: ${words.refusal(failure)} Muat ulang halaman ini.`, "bad");
      return;
    }
    [Netra.queue, Netra.filing, Netra.account, Netra.audit].forEach((view) => view.prepare());
    if (api.session.token() && !location.hash.startsWith("#/pendaftaran")) {
      try {
        const answer = await api.get("/api/v1/auth/session");
        state.me = answer.user;
        Netra.session.start(answer);
      } catch (failure) {
        if (!app.ended(failure)) app.notice(words.refusal(failure), "bad");
      }
    }
    if (state.me) signedIn();
    window.addEventListener("hashchange", route);
    route();
  }

  Netra.app = app;
  boot();
})(window.Netra = window.Netra || {});
