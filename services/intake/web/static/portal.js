/* The public portal: file a complaint, keep the receipt, check the status, reply.

   Nothing the reporter receives is stored in the browser (no cookies, no localStorage, nothing
   in the address bar): the tracking code and receipt live in this page's memory until the
   reporter downloads or copies them. What they type about the complaint (never who they are) is
   kept for this tab only, so a reload does not lose it (form_care.js). */
"use strict";

(function () {
  const words = window.NetraWords;
  const files = window.NetraFiles;
  const care = window.NetraFormCare;
  const state = {
    lang: new URLSearchParams(location.search).get("lang") === "en" ? "en" : "id",
    reference: null,
    filed: null,          // the 201 answer, kept only in memory
    credentials: null,    // {code, receipt} of the status being shown
    statusPage: null,
  };

  const OTHER_UNIT = "other"; // the choice that opens the box for a unit not in the list
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  function say(key, values) {
    let text = (words[state.lang] && words[state.lang][key]) || words.id[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => { text = text.split("{" + name + "}").join(value); });
    return text;
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function formatTime(iso) {
    // Times are shown in WIB, the zone of Bengkalis, whatever the phone's own zone is.
    const when = new Date(iso);
    const locale = state.lang === "en" ? "en-GB" : "id-ID";
    return when.toLocaleString(locale, { timeZone: "Asia/Jakarta", dateStyle: "medium", timeStyle: "short" }) + " WIB";
  }

  // ------------------------------------------------------------------ language

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    $$("[data-i18n]").forEach((node) => { node.textContent = say(node.dataset.i18n); });
    const button = $("#language");
    button.textContent = say("switch_to");
    button.setAttribute("aria-label", say("switch_label"));
    button.lang = state.lang === "id" ? "en" : "id";
    document.title = "Netra: " + say("tagline");
    renderReference();
    renderChosenFiles("#screenshots", "#screenshot-list");
    renderChosenFiles("#reply-screenshots", "#reply-screenshot-list");
    if (state.credentials && !$("#status-result").hidden) checkStatus();
  }

  // ------------------------------------------------------------------ reference lists

  async function loadReference() {
    const response = await fetch("/api/v1/reference", { headers: { Accept: "application/json" } });
    state.reference = await response.json();
    files.setLimits(state.reference.limits);
    renderReference();
    if (care.restore($("#complaint-form"))) toggleOtherFields(); // what this tab kept before a reload
  }

  function fillSelect(select, options) {
    const chosen = select.value;
    $$("option:not([value=''])", select).forEach((option) => option.remove());
    options.forEach(([value, label]) => select.append(element("option", { value: value }, label)));
    select.value = chosen;
  }

  /* The closed list of work units (intake's, as the server keeps them), grouped, and "other" with a
     box for its name: statistics then count each unit once. */
  function fillWorkUnits(select, units) {
    const chosen = select.value;
    $$("optgroup, option:not([value=''])", select).forEach((node) => node.remove());
    const groups = new Map();
    units.forEach((unit) => {
      if (!unit.group) { select.append(element("option", { value: unit.name }, unit.name)); return; }
      if (!groups.has(unit.group)) {
        groups.set(unit.group, element("optgroup", { label: unit.group }));
        select.append(groups.get(unit.group));
      }
      groups.get(unit.group).append(element("option", { value: unit.name }, unit.name));
    });
    select.append(element("option", { value: OTHER_UNIT }, say("work_unit_other_choice")));
    select.value = chosen;
  }

  function renderReference() {
    const ref = state.reference;
    if (!ref) return;
    fillSelect($("#platform"), ref.platforms.map((p) => [p.code, p.label[state.lang]]));
    fillSelect($("#reported-kecamatan"), ref.kecamatan.map((k) => [k, k]));
    fillWorkUnits($("#reported-work-unit"), ref.work_units);

    const box = $("#violation-types");
    const chosen = new Set($$("input[name=violation_types]:checked", box).map((i) => i.value));
    $$(".radio", box).forEach((row) => row.remove());
    ref.violation_types.forEach((type) => {
      const row = element("div", { class: "radio" });
      const input = element("input", { type: "checkbox", id: "violation-" + type.code, name: "violation_types",
                                       value: type.code });
      input.checked = chosen.has(type.code);
      row.append(input, element("label", { for: input.id }, type.label[state.lang]));
      box.append(row);
    });
    toggleOtherFields();
  }

  function toggleOtherFields() {
    $("#work-unit-other-field").hidden = $("#reported-work-unit").value !== OTHER_UNIT;
    $("#platform-other-field").hidden = $("#platform").value !== "other";
    $("#violation-other-field").hidden = !$("input[name=violation_types][value=other]:checked");
    $("#identity-fields").hidden = $("#reporter-anonymous").checked;
  }

  // ------------------------------------------------------------------ errors

  function clearErrors(form, summary) {
    $$(".error", form).forEach((node) => node.remove());
    $$("[aria-invalid]", form).forEach((node) => {
      node.removeAttribute("aria-invalid");
      const described = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
      if (described.length) node.setAttribute("aria-describedby", described.join(" "));
      else node.removeAttribute("aria-describedby");
    });
    summary.hidden = true;
    $("ul", summary).replaceChildren();
  }

  /* The input a server field path ("reported.nip", "post_urls.0") or a local name points at. */
  function inputFor(form, field) {
    const name = (field || "").split(".").filter((part) => !/^\d+$/.test(part)).join(".");
    if (name === "violation_types") return $("input[name=violation_types]", form);
    if (name === "reporter.anonymous") return $("#reporter-anonymous", form);
    return $('[name="' + name + '"]', form);
  }

  function showErrors(form, summary, problems) {
    clearErrors(form, summary);
    const list = $("ul", summary);
    problems.forEach((problem) => {
      const input = problem.field ? inputFor(form, problem.field) : null;
      const item = element("li");
      if (input) {
        const link = element("a", { href: "#" + input.id }, problem.message);
        link.addEventListener("click", (event) => { event.preventDefault(); input.focus(); });
        item.append(link);
        if (!input.hasAttribute("aria-invalid")) {
          input.setAttribute("aria-invalid", "true");
          const note = element("p", { class: "error", id: input.id + "-error" }, problem.message);
          const anchor = input.type === "checkbox" || input.type === "radio" ? input.closest("fieldset") : input;
          anchor.insertAdjacentElement(anchor.tagName === "FIELDSET" ? "afterbegin" : "afterend", note);
          input.setAttribute("aria-describedby",
                             ((input.getAttribute("aria-describedby") || "") + " " + note.id).trim());
        }
      } else {
        item.textContent = problem.message;
      }
      list.append(item);
    });
    summary.hidden = problems.length === 0;
    if (problems.length) summary.focus();
  }

  function answerProblems(xhr) {
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
    const error = body && body.error;
    if (xhr.status === 0) return [{ message: say("network_error") }];
    if (xhr.status === 429) {
      return [{ message: say("wait_retry", { seconds: xhr.getResponseHeader("Retry-After") || "60" }) }];
    }
    if (error && error.details && error.details.length) return error.details;
    // 503: the server says in words that nothing was kept and when to try again.
    if (error && error.message && (xhr.status < 500 || xhr.status === 503)) return [{ message: error.message }];
    return [{ message: say("server_error", { status: xhr.status }) }];
  }

  // ------------------------------------------------------------------ uploads

  /* POSTs multipart form data with progress shown; resolves to the XHR when it is done. */
  function upload(url, body, headers, progress) {
    const bar = $("progress", progress);
    const text = $("p", progress);
    progress.hidden = false;
    bar.value = 0;
    text.textContent = say("sent_percent", { percent: 0 });
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Accept-Language", state.lang);
      Object.entries(headers || {}).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      xhr.upload.addEventListener("progress", (event) => {
        if (!event.lengthComputable) return;
        const percent = Math.floor((event.loaded / event.total) * 100);
        bar.value = percent;
        text.textContent = percent >= 100 ? say("processing") : say("sent_percent", { percent: percent });
      });
      xhr.addEventListener("loadend", () => { progress.hidden = true; resolve(xhr); });
      xhr.send(body);
    });
  }

  // ------------------------------------------------------------------ sending safely again

  /* One Idempotency-Key per submission, kept while the same content is sent again (by the
     portal itself after a lost connection or a busy server, or by the reporter pressing the
     button again) and dropped once it is filed or the content changes: the server then gives a
     retry the original answer, and nothing is filed twice. Kept in memory only. */
  const submissions = { complaint: null, reply: null };
  const RESEND_WAITS = [1, 3, 8];  // seconds; a Retry-After the server sends counts, up to 10

  function newKey() {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_");
  }

  function keyFor(kind, fingerprint) {
    const known = submissions[kind];
    if (!known || known.fingerprint !== fingerprint) submissions[kind] = { fingerprint: fingerprint, key: newKey() };
    return submissions[kind].key;
  }

  function fingerprintOf(fields, fileList) {
    return JSON.stringify([fields, Array.from(fileList).map((f) => [f.name, f.size, f.lastModified])]);
  }

  function sleep(seconds) {
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }

  /* upload(), sent again with the same key while the answer is lost (no answer, 503) or the
     first request with the key is still under way (409). */
  async function sendSafely(kind, url, body, headers, progress, fingerprint) {
    const withKey = Object.assign({ "Idempotency-Key": keyFor(kind, fingerprint) }, headers);
    for (let attempt = 0; ; attempt += 1) {
      const xhr = await upload(url, body, withKey, progress);
      if (xhr.status === 201) submissions[kind] = null;
      if (![0, 409, 503].includes(xhr.status) || attempt >= RESEND_WAITS.length) return xhr;
      const told = parseInt(xhr.getResponseHeader("Retry-After") || "", 10);
      const wait = Math.min(Number.isFinite(told) ? told : RESEND_WAITS[attempt], 10);
      progress.hidden = false;
      $("p", progress).textContent = say("resending", { seconds: wait });
      await sleep(wait);
    }
  }

  async function renderChosenFiles(inputSelector, listSelector) {
    const input = $(inputSelector);
    const list = $(listSelector);
    const checked = await files.check(input.files, 0);
    list.replaceChildren(...checked.files.map((entry) => {
      const item = element("li", { class: entry.problem ? "bad" : "good" });
      const note = entry.problem ? say(entry.problem, { name: entry.file.name }) : say("file_ok");
      item.textContent = entry.file.name + " (" + files.formatSize(entry.file.size) + "): " + note;
      return item;
    }));
    return checked;
  }

  async function fileProblems(input, alreadyAttached) {
    const checked = await files.check(input.files, alreadyAttached);
    return checked.problems.map((p) => ({ field: input.name, message: say(p.key, p.values) }));
  }

  // ------------------------------------------------------------------ filing

  function value(name) {
    const input = $('#complaint-form [name="' + name + '"]');
    const text = input ? input.value.trim() : "";
    return text === "" ? null : text;
  }

  function wibNow() {
    return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 16);
  }

  /* The date and time pickers (the phone's own) as an ISO time in WIB (+07:00), with what is wrong. */
  function occurredAt() {
    const [day, time] = ["occurred_at", "occurred.time"].map(value);
    if (!day) return { iso: null, problem: "missing" };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return { iso: null, problem: "date_invalid" };
    const clock = /^(\d{2}):(\d{2})/.exec(time || "00:00");
    if (!clock) return { iso: null, problem: "time_invalid" };
    const local = day + "T" + clock[1] + ":" + clock[2];
    return { iso: local + ":00+07:00", local: local, problem: local > wibNow() ? "in_future" : null };
  }

  function complaintDocument() {
    const anonymous = $("#reporter-anonymous").checked;
    const occurred = occurredAt();
    const reporter = anonymous ? { anonymous: true } : {
      anonymous: false,
      name: value("reporter.name"),
      email: value("reporter.email"),
      phone: value("reporter.phone"),
      nik: value("reporter.nik"),
      consent_contact: $("#reporter-consent").checked,
    };
    return {
      reported: {
        name: value("reported.name"),
        nip: value("reported.nip"),
        position: value("reported.position"),
        work_unit: value(value("reported.work_unit") === OTHER_UNIT ? "reported.work_unit_other" : "reported.work_unit"),
        kecamatan: value("reported.kecamatan"),
      },
      platform: value("platform"),
      platform_other: $("#platform").value === "other" ? value("platform_other") : null,
      post_urls: (value("post_urls") || "").split(/\s+/).filter(Boolean),
      account_handle: value("account_handle"),
      occurred_at: occurred.iso,
      violation_types: $$("input[name=violation_types]:checked").map((i) => i.value),
      violation_other: $("input[name=violation_types][value=other]:checked") ? value("violation_other") : null,
      description: value("description"),
      reporter: reporter,
    };
  }

  function labelOf(name) {
    if (name === "occurred_at") return say("occurred_at");
    const input = $('#complaint-form [name="' + name + '"]');
    const label = input && $('label[for="' + input.id + '"]');
    return label ? label.textContent.replace("*", "").trim() : name;
  }

  /* The rules a reporter most often trips over, checked before a long upload. */
  function localProblems(doc, chosenFiles) {
    const problems = [];
    const required = (name, present) => {
      if (!present) problems.push({ field: name, message: say("field_required", { field: labelOf(name) }) });
    };
    required("reported.name", doc.reported.name);
    required("platform", doc.platform);
    if (doc.platform === "other") required("platform_other", doc.platform_other);
    const occurred = occurredAt();
    if (occurred.problem === "missing") required("occurred_at", false);
    else if (occurred.problem === "time_invalid") problems.push({ field: "occurred.time", message: say("time_invalid") });
    else if (occurred.problem) problems.push({ field: "occurred_at", message: say(occurred.problem) });
    if (!doc.violation_types.length) problems.push({ field: "violation_types", message: say("choose_violation") });
    if (doc.violation_types.includes("other")) required("violation_other", doc.violation_other);
    required("description", doc.description);
    if (doc.description && doc.description.length < 10) {
      problems.push({ field: "description", message: say("description_short", { field: labelOf("description") }) });
    }
    doc.post_urls.filter((url) => !/^https?:\/\/\S+$/i.test(url)).forEach((url) => {
      problems.push({ field: "post_urls", message: say("url_invalid", { value: url }) });
    });
    if (!doc.post_urls.length && !chosenFiles) problems.push({ field: "screenshots", message: say("evidence_needed") });
    if (!doc.reporter.anonymous) {
      required("reporter.name", doc.reporter.name);
      if (!doc.reporter.email && !doc.reporter.phone) {
        problems.push({ field: "reporter.email", message: say("contact_needed") });
      }
    }
    return problems;
  }

  async function submitComplaint(event) {
    event.preventDefault();
    const form = $("#complaint-form");
    const summary = $("#file-errors");
    const screenshots = $("#screenshots");
    const doc = complaintDocument();
    const problems = localProblems(doc, screenshots.files.length)
      .concat(await fileProblems(screenshots, 0));
    if (problems.length) return showErrors(form, summary, problems);
    clearErrors(form, summary);

    const body = new FormData();
    body.append("complaint", new Blob([JSON.stringify(doc)], { type: "application/json" }), "complaint.json");
    Array.from(screenshots.files).forEach((file) => body.append("screenshots", file, file.name));
    const button = $("#submit-complaint");
    button.disabled = true;
    const xhr = await sendSafely("complaint", "/api/v1/complaints", body, {}, $("#file-progress"),
                                 fingerprintOf(doc, screenshots.files));
    button.disabled = false;
    if (xhr.status !== 201) return showErrors(form, summary, answerProblems(xhr));
    state.filed = JSON.parse(xhr.responseText);
    form.reset();
    $("#screenshot-list").replaceChildren();
    toggleOtherFields();
    showReceipt();
  }

  function showReceipt() {
    care.clear(); // filed: the draft has done its job
    const filed = state.filed;
    $("#receipt-tracking-code").textContent = filed.tracking_code;
    $("#receipt-receipt").textContent = filed.receipt;
    $("#receipt-screenshots").replaceChildren(...(filed.screenshots || []).map((s) =>
      element("li", {}, s.filename + " — SHA-256 " + s.sha256)));
    showPanel("receipt");
  }

  async function copy(event) {
    const source = document.getElementById(event.currentTarget.dataset.copy);
    const note = $("#copy-note");
    try {
      await navigator.clipboard.writeText(source.textContent);
      note.textContent = say("copied");
    } catch (ignored) {
      window.getSelection().selectAllChildren(source);
      note.textContent = say("copy_failed");
    }
  }

  function downloadReceipt() {
    const filed = state.filed;
    const lines = [
      say("download_heading"), "",
      say("tracking_code") + ": " + filed.tracking_code,
      say("receipt") + ": " + filed.receipt,
      formatTime(filed.submitted_at), "",
      say("download_keep"), "",
      say("download_proof"),
      JSON.stringify(filed.proof, null, 2), "",
    ];
    const url = URL.createObjectURL(new Blob([lines.join("\n")], { type: "text/plain;charset=utf-8" }));
    const link = element("a", { href: url, download: "netra-" + filed.tracking_code + ".txt" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // ------------------------------------------------------------------ status and reply

  /* The status panel says it is busy (aria-busy) from the request until the answer is shown. */
  async function checkStatus() {
    const panel = $("#status-panel");
    panel.setAttribute("aria-busy", "true");
    try {
      await fetchStatus();
    } finally {
      panel.removeAttribute("aria-busy");
    }
  }

  async function fetchStatus() {
    const { code, receipt } = state.credentials;
    const summary = $("#status-errors");
    let response;
    try {
      response = await fetch("/api/v1/complaints/" + encodeURIComponent(code), {
        headers: { "X-Receipt": receipt, "Accept-Language": state.lang, Accept: "application/json" },
        cache: "no-store",
      });
    } catch (ignored) {
      return showErrors($("#status-form"), summary, [{ message: say("network_error") }]);
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      $("#status-result").hidden = true;
      const fake = { status: response.status, responseText: JSON.stringify(body),
                     getResponseHeader: (name) => response.headers.get(name) };
      return showErrors($("#status-form"), summary, answerProblems(fake));
    }
    clearErrors($("#status-form"), summary);
    state.statusPage = body;
    renderStatus(body);
  }

  function renderStatus(page) {
    $("#status-label").textContent = page.status_label;
    const next = page.next_step || {};
    $("#status-next-label").textContent = next.label || "";
    $("#status-next-due").hidden = !next.due_at;
    $("#status-next-due").textContent = next.due_at ? say("next_due", { when: formatTime(next.due_at) }) : "";
    $("#status-timeline").replaceChildren(...page.timeline.map((step) => {
      const item = element("li");
      item.append(element("span", { class: "when" }, formatTime(step.at)), element("span", {}, step.label));
      return item;
    }));
    const disclosures = $("#status-disclosures");
    disclosures.hidden = !page.identity_disclosures.length;
    $("ul", disclosures).replaceChildren(...page.identity_disclosures.map((d) =>
      element("li", {}, formatTime(d.at) + ": " + d.label)));
    const messages = page.messages.length ? page.messages.map((m) => {
      const item = element("li", { class: m.author === "team" ? "from-team" : "from-reporter" });
      item.append(
        element("p", { class: "who" }, (m.author === "team" ? say("author_team") : say("author_reporter")) + ", " + formatTime(m.at)),
        element("p", { class: "body" }, m.body));
      return item;
    }) : [element("li", {}, say("no_messages"))];
    $("#status-messages").replaceChildren(...messages);
    const shots = page.screenshots.length ? page.screenshots.map((s) => {
      const item = element("li", { class: s.state === "rejected" ? "bad" : "good" });
      item.textContent = (s.filename || "\u2014") + ": " + s.state_label + (s.reason ? " (" + s.reason + ")" : "");
      return item;
    }) : [element("li", {}, say("no_screenshots"))];
    $("#status-screenshots").replaceChildren(...shots);
    renderContact(page.contact || {});
    $("#status-result").hidden = false;
  }

  // ------------------------------------------------------------------ contact details (UU PDP)

  function renderContact(contact) {
    $("#contact-section").hidden = !contact.can_erase;
    $("#contact-confirm").hidden = true;
    $("#contact-erase").hidden = false;
    const erased = $("#contact-erased");
    erased.hidden = !contact.erased_at;
    erased.textContent = contact.erased_at ? say("contact_erased", { when: formatTime(contact.erased_at) }) : "";
  }

  function askToEraseContact() {
    $("#contact-erase").hidden = true;
    $("#contact-confirm").hidden = false;
    $("#contact-confirm-no").focus();
  }

  function keepContact() {
    $("#contact-confirm").hidden = true;
    $("#contact-erase").hidden = false;
    $("#contact-erase").focus();
  }

  async function eraseContact() {
    const { code, receipt } = state.credentials;
    const summary = $("#contact-errors");
    let response;
    try {
      response = await fetch("/api/v1/complaints/" + encodeURIComponent(code) + "/contact", {
        method: "DELETE",
        headers: { "X-Receipt": receipt, "Accept-Language": state.lang, Accept: "application/json" },
        cache: "no-store",
      });
    } catch (ignored) {
      return showErrors($("#contact-section"), summary, [{ message: say("network_error") }]);
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      const fake = { status: response.status, responseText: JSON.stringify(body),
                     getResponseHeader: (name) => response.headers.get(name) };
      return showErrors($("#contact-section"), summary, answerProblems(fake));
    }
    clearErrors($("#contact-section"), summary);
    await checkStatus();
    $("#contact-erased").focus();
  }

  async function submitStatus(event) {
    event.preventDefault();
    const form = $("#status-form");
    const code = $("#status-code").value.trim();
    const receipt = $("#status-receipt").value.trim();
    const problems = [];
    if (!code) problems.push({ field: "tracking_code", message: say("field_required", { field: say("tracking_code") }) });
    if (!receipt) problems.push({ field: "receipt", message: say("field_required", { field: say("receipt") }) });
    if (problems.length) return showErrors(form, $("#status-errors"), problems);
    state.credentials = { code: code, receipt: receipt };
    $("#reply-done").textContent = "";
    await checkStatus();
    if (!$("#status-result").hidden) $("#status-label").focus();
  }

  async function submitReply(event) {
    event.preventDefault();
    const form = $("#reply-form");
    const summary = $("#reply-errors");
    const input = $("#reply-screenshots");
    const message = $("#reply-message").value.trim();
    const already = state.statusPage ? state.statusPage.screenshots.length : 0;
    const problems = message ? [] : [{ field: "message", message: say("field_required", { field: say("reply_message") }) }];
    const all = problems.concat(await fileProblems(input, already));
    if (all.length) return showErrors(form, summary, all);
    clearErrors(form, summary);
    const body = new FormData();
    body.append("message", message);
    Array.from(input.files).forEach((file) => body.append("screenshots", file, file.name));
    const { code, receipt } = state.credentials;
    const xhr = await sendSafely("reply", "/api/v1/complaints/" + encodeURIComponent(code) + "/messages", body,
                                 { "X-Receipt": receipt }, $("#reply-progress"),
                                 fingerprintOf([code, message], input.files));
    if (xhr.status !== 201) return showErrors(form, summary, answerProblems(xhr));
    form.reset();
    $("#reply-screenshot-list").replaceChildren();
    await checkStatus();
    $("#reply-done").textContent = say("reply_sent");
  }

  // ------------------------------------------------------------------ panels

  function showPanel(which) {
    $("#file-panel").hidden = which !== "file";
    $("#receipt-panel").hidden = which !== "receipt";
    $("#status-panel").hidden = which !== "status";
    $("#tab-file").setAttribute("aria-pressed", String(which !== "status"));
    $("#tab-status").setAttribute("aria-pressed", String(which === "status"));
    const heading = { file: "#file-title", receipt: "#receipt-title", status: "#status-title" }[which];
    if (which !== "file") $(heading).focus();
  }

  function openStatusFromReceipt() {
    $("#status-code").value = state.filed.tracking_code;
    $("#status-receipt").value = state.filed.receipt;
    showPanel("status");
    $("#status-form").requestSubmit();
  }

  function wire() {
    $("#language").addEventListener("click", () => { state.lang = state.lang === "id" ? "en" : "id"; applyLanguage(); });
    $("#tab-file").addEventListener("click", () => showPanel("file"));
    $("#tab-status").addEventListener("click", () => showPanel("status"));
    $("#platform").addEventListener("change", toggleOtherFields);
    $("#reported-work-unit").addEventListener("change", toggleOtherFields);
    $("#violation-types").addEventListener("change", toggleOtherFields);
    $$("input[name=anonymous]").forEach((radio) => radio.addEventListener("change", toggleOtherFields));
    $("#screenshots").addEventListener("change", () => renderChosenFiles("#screenshots", "#screenshot-list"));
    $("#reply-screenshots").addEventListener("change", () => renderChosenFiles("#reply-screenshots", "#reply-screenshot-list"));
    $("#complaint-form").addEventListener("submit", submitComplaint);
    care.watch($("#complaint-form"), $("#file-errors"), { keep: true });
    care.watch($("#reply-form"), $("#reply-errors"));
    $("#occurred-date").max = wibNow().slice(0, 10); // the calendar offers no day after today
    $$("[data-copy]").forEach((button) => button.addEventListener("click", copy));
    $("#download-receipt").addEventListener("click", downloadReceipt);
    $("#receipt-to-status").addEventListener("click", openStatusFromReceipt);
    $("#status-form").addEventListener("submit", submitStatus);
    $("#status-show-receipt").addEventListener("change", (event) => {
      $("#status-receipt").type = event.target.checked ? "text" : "password";
    });
    $("#reply-form").addEventListener("submit", submitReply);
    $("#contact-erase").addEventListener("click", askToEraseContact);
    $("#contact-confirm-no").addEventListener("click", keepContact);
    $("#contact-confirm-yes").addEventListener("click", eraseContact);
  }

  wire();
  applyLanguage();
  loadReference().catch(() => showErrors($("#complaint-form"), $("#file-errors"), [{ message: say("network_error") }]));
})();
