/* The long form, kind to a person on a phone:

   - an error goes away as soon as its field is changed (the summary's line with it), instead of
     staying until the next "Kirim";
   - what was typed survives a reload of the page, in this tab only (sessionStorage: gone when the
     tab is closed, never localStorage, so a shared phone does not keep a report). The reporter's own
     identity ("Tentang Anda": name, e-mail, phone, NIK, the anonymity and contact choices) is never
     kept, not even for the tab: it is typed again after a reload. Files are never kept either.
     The draft is dropped once the complaint is filed. */
"use strict";

(function () {
  const KEY = "netra.portal.draft";
  const NEVER_KEPT = /^(reporter\.|anonymous$|screenshots$|tracking_code$|receipt$|message$)/;

  const kept = (control) => control.name && !NEVER_KEPT.test(control.name) && control.type !== "file";

  function controls(form) {
    return Array.from(form.elements).filter(kept);
  }

  function save(form) {
    const draft = {};
    controls(form).forEach((control) => {
      if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked) (draft[control.name] = draft[control.name] || []).push(control.value);
      } else if (control.value) {
        draft[control.name] = control.value;
      }
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify(draft));
    } catch (error) { /* private mode or full: the form still works, it is just not kept */ }
  }

  /* Put back what this tab kept; true if anything was. Called once the lists are drawn. */
  function restore(form) {
    let draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(KEY) || "null");
    } catch (error) { draft = null; }
    if (!draft) return false;
    controls(form).forEach((control) => {
      const value = draft[control.name];
      if (value === undefined) return;
      if (control.type === "checkbox" || control.type === "radio") control.checked = [].concat(value).includes(control.value);
      else control.value = value;
    });
    return true;
  }

  function clear() {
    try {
      sessionStorage.removeItem(KEY);
    } catch (error) { /* nothing kept */ }
  }

  /* The field's own error and its line in the summary go once the person changes it. */
  function forgetError(form, summary, target) {
    const input = target.type === "checkbox" || target.type === "radio"
      ? form.querySelector('[name="' + target.name + '"][aria-invalid]') || target : target;
    if (!input.hasAttribute("aria-invalid")) return;
    input.removeAttribute("aria-invalid");
    const note = document.getElementById(input.id + "-error");
    if (note) note.remove();
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== input.id + "-error");
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
    summary.querySelectorAll('a[href="#' + input.id + '"]').forEach((link) => link.closest("li").remove());
    if (!summary.querySelector("li")) summary.hidden = true;
  }

  function watch(form, summary, options) {
    const keep = options && options.keep;
    const changed = (event) => {
      forgetError(form, summary, event.target);
      if (keep) save(form);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
  }

  window.NetraFormCare = { watch, restore, clear };
})();
