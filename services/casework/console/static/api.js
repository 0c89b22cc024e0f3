/* The console's client of casework's team API and of evidence's screenshots.

   The bearer token lives in sessionStorage only (gone when the tab closes; never in
   localStorage, a cookie or the address bar). Nothing the API answers is stored anywhere;
   nothing is ever written to the browser's console. */
"use strict";

(function (Netra) {
  const TOKEN_KEY = "netra.console.token";

  const session = {
    token: () => sessionStorage.getItem(TOKEN_KEY),
    keep: (token) => sessionStorage.setItem(TOKEN_KEY, token),
    forget: () => sessionStorage.removeItem(TOKEN_KEY),
  };

  class ApiFailure extends Error {
    constructor(status, code, message, details) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = details || null;
    }
  }

  const UNREACHABLE = "Server tidak dapat dihubungi. Periksa jaringan Anda, lalu coba lagi.";
  const GENERIC = {
    401: "Sesi Anda telah berakhir atau tidak berlaku lagi. Silakan masuk kembali.",
    404: "Tidak ditemukan.",
    503: "Layanan sedang tidak tersedia untuk sementara. Permintaan ini belum diproses; coba lagi dalam beberapa menit.",
  };

  async function failureOf(response) {
    let error = null;
    try {
      error = (await response.json()).error;
    } catch (ignored) {
      error = null;
    }
    const message = (error && error.message) || GENERIC[response.status] ||
      `Permintaan ditolak server (HTTP ${response.status}).`;
    return new ApiFailure(response.status, (error && error.code) || `http_${response.status}`, message,
                          error && error.details);
  }

  let onSessionEnded = () => {};

  /* A 401 ends the session it was sent with only if that is still the tab's session: a request sent
     just before "Keluar" (the session check's timer) is answered 401 after the logout, and must not
     turn the member's own logout into "Sesi Anda telah berakhir" (nor a later login's session). */
  function endedIfCurrent(token, failure) {
    if (!token || token === session.token()) onSessionEnded(failure);
  }

  /* One request to casework. `as`: "json" (default), "blob" or "none"; `signedIn: false` for login. */
  async function call(method, path, body, options) {
    const { as = "json", signedIn = true } = options || {};
    // X-Netra-Door: the access report says a list or search came from the console (decision 0038).
    const headers = { Accept: as === "json" ? "application/json" : "*/*", "Accept-Language": "id",
                      "X-Netra-Door": "console" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const token = signedIn ? session.token() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(path, { method, headers, cache: "no-store", credentials: "omit",
                                     body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (ignored) {
      throw new ApiFailure(0, "network", UNREACHABLE);
    }
    if (!response.ok) {
      const failure = await failureOf(response);
      if (signedIn && response.status === 401) endedIfCurrent(token, failure);
      throw failure;
    }
    if (as === "blob") return response.blob();
    if (as === "none") return null;
    return response.json();
  }

  const get = (path, options) => call("GET", path, undefined, options);
  const post = (path, body, options) => call("POST", path, body === undefined ? {} : body, options);

  /* A screenshot from evidence, through the grant casework issued (Authorization: Grant ...). */
  async function grantedImage(caseId, evidenceId, copy, purpose) {
    const grant = await post(`/api/v1/cases/${encodeURIComponent(caseId)}/evidence/${encodeURIComponent(evidenceId)}/grants`,
                             { copy, purpose });
    let response;
    try {
      response = await fetch(grant.url, { headers: { Authorization: `Grant ${grant.grant}`, "Accept-Language": "id" },
                                          cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
    } catch (ignored) {
      throw new ApiFailure(0, "network", "Layanan bukti tidak dapat dihubungi. Coba lagi sebentar lagi.");
    }
    if (!response.ok) throw await failureOf(response);
    return URL.createObjectURL(await response.blob());
  }

  /* A body that is not JSON (a decree's PDF, a form of screenshots) POSTed with the token; its
     answer is JSON. `contentType` is left out for a form: the browser sets its boundary. */
  async function postBody(path, body, contentType) {
    const headers = { Accept: "application/json", "Accept-Language": "id" };
    if (contentType) headers["Content-Type"] = contentType;
    const token = session.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(path, { method: "POST", headers, cache: "no-store", credentials: "omit", body });
    } catch (ignored) {
      throw new ApiFailure(0, "network", UNREACHABLE);
    }
    if (!response.ok) {
      const failure = await failureOf(response);
      if (response.status === 401) endedIfCurrent(token, failure);
      throw failure;
    }
    return response.json();
  }

  /* A PDF file sent as it is (BKPPD's decree): its bytes are the body, never JSON. */
  function sendPdf(path, file) {
    return postBody(path, file, "application/pdf");
  }

  /* Screenshots as a multipart form: `screenshots` parts. */
  function sendFiles(path, files) {
    const form = new FormData();
    files.forEach((file) => form.append("screenshots", file, file.name));
    return postBody(path, form, null);
  }

  /* A file the API answers (dossier, CSV), fetched with the token and handed to the browser. */
  async function download(path, filename) {
    const blob = await get(path, { as: "blob" });
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement("a"), { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  Netra.api = {
    session, ApiFailure, call, get, post, sendPdf, sendFiles, grantedImage, download,
    whenSessionEnds: (handler) => { onSessionEnded = handler; },
  };
})(window.Netra = window.Netra || {});
