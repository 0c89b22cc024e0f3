/* Keeping the session alive while its member works, and noticing when it ended.

   The API renews a session on every use, but reading a long case file or typing a finding uses
   nothing: so while the member types, clicks or scrolls, the console asks GET /api/v1/auth/session
   at most once every `renew_seconds` (reference.json). When the idle end it last heard of has
   passed, it asks once more: the API's 401 then sends the member to the login screen with its own
   words ("tidak dipakai selama 30 menit", "batas 12 jam", "akun Anda diubah"). */
"use strict";

(function (Netra) {
  const ACTIVITY = ["keydown", "pointerdown", "input", "wheel", "touchstart"];
  const state = { busy: false, timer: null, idleEnd: null };

  function noteActivity() { state.busy = true; }

  function know(answer) {
    const end = answer && answer.idle_expires_at ? new Date(answer.idle_expires_at).getTime() : NaN;
    state.idleEnd = Number.isNaN(end) ? null : end;
  }

  async function tick() {
    if (!Netra.api.session.token()) return;
    const pastIdleEnd = state.idleEnd !== null && Date.now() >= state.idleEnd;
    if (!state.busy && !pastIdleEnd) return;
    state.busy = false;
    try {
      know(await Netra.api.get("/api/v1/auth/session"));
    } catch (ignored) {
      // A 401 has already ended the session (api.whenSessionEnds); anything else: try again later.
    }
  }

  /* Start watching after a login (or a reload of a signed-in tab), with the session's answer. */
  function start(answer) {
    know(answer);
    if (state.timer) return;
    ACTIVITY.forEach((name) => document.addEventListener(name, noteActivity, { passive: true, capture: true }));
    const seconds = Number(((Netra.ref || {}).session || {}).renew_seconds) || 60;
    state.timer = setInterval(tick, seconds * 1000);
  }

  function stop() {
    ACTIVITY.forEach((name) => document.removeEventListener(name, noteActivity, { capture: true }));
    clearInterval(state.timer);
    Object.assign(state, { busy: false, timer: null, idleEnd: null });
  }

  Netra.session = { start, stop, know };
})(window.Netra = window.Netra || {});
