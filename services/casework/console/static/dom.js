/* The console's small DOM toolkit: building elements, showing refusals next to their fields,
   moving the focus where a keyboard or screen-reader user needs it. No framework. */
"use strict";

(function (Netra) {
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  /* el("p", {class: "hint", id: "x"}, "text", otherNode, [more]) */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value === undefined || value === null || value === false) return;
      if (name in PROPERTIES) node[PROPERTIES[name]] = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    append(node, children);
    return node;
  }
  const PROPERTIES = { hidden: "hidden", disabled: "disabled", checked: "checked", selected: "selected",
                       required: "required", value: "value" };

  function append(node, children) {
    children.flat(Infinity).forEach((child) => {
      if (child === undefined || child === null || child === false) return;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function show(node, visible) { node.hidden = !visible; return node; }

  /* Focus something that is not a control (a heading, a message) without a tab stop of its own. */
  function focus(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(node.tagName)) {
      node.setAttribute("tabindex", "-1");
    }
    node.focus();
  }

  let counter = 0;
  const uid = (prefix) => `${prefix}-${++counter}`;

  // ------------------------------------------------------------------ fields and their errors

  /* A labelled control in a .field box; `control` is an input, select or textarea. */
  function field(labelText, control, hint, required) {
    if (!control.id) control.id = uid("f");
    const box = el("div", { class: "field" },
      el("label", { for: control.id }, labelText, required ? " *" : ""), control);
    if (hint) {
      const hintNode = el("p", { class: "hint", id: control.id + "-hint" }, hint);
      control.setAttribute("aria-describedby", hintNode.id);
      box.append(hintNode);
    }
    return box;
  }

  function clearErrors(form, summary) {
    $$(".error", form).forEach((node) => node.remove());
    $$("[aria-invalid]", form).forEach((node) => {
      node.removeAttribute("aria-invalid");
      const described = (node.getAttribute("aria-describedby") || "").split(" ")
        .filter((id) => id && !id.endsWith("-error"));
      if (described.length) node.setAttribute("aria-describedby", described.join(" "));
      else node.removeAttribute("aria-describedby");
    });
    if (summary) { summary.hidden = true; summary.replaceChildren(); }
  }

  /* The problems of an API refusal as [{field, message}]: per-field details ("reported.name",
     "post_urls.0") or a rule that names its field; anything else has no field. */
  function problemsOf(failure) {
    const details = failure.details;
    if ((failure.code === "invalid_body" || failure.code === "invalid_query") && details && typeof details === "object"
        && !Array.isArray(details)) {
      const problems = [];
      const walk = (value, path) => {
        if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
          problems.push({ field: path, message: value.join(" ") });
        } else if (value && typeof value === "object") {
          Object.entries(value).forEach(([key, inner]) => walk(inner, path ? `${path}.${key}` : key));
        } else if (typeof value === "string") {
          problems.push({ field: path, message: value });
        }
      };
      walk(details, "");
      return problems;
    }
    if (details && typeof details.field === "string") return [{ field: details.field, message: failure.message }];
    return [];
  }

  /* The control a field path points at: exact name, then without list indexes, then its start. */
  function controlFor(form, path) {
    if (!path) return null;
    const plain = path.split(".").filter((part) => !/^\d+$/.test(part)).join(".");
    for (const name of [path, plain]) {
      const found = $$("[name]", form).find((node) => node.name === name);
      if (found) return found;
    }
    return null;
  }

  /* Each problem under its field (aria-invalid, described by the message) and in the summary,
     whose entries lead to the fields; the summary takes the focus. */
  function showErrors(form, summary, title, problems, general) {
    clearErrors(form, summary);
    const items = [];
    problems.forEach(({ field: path, message }) => {
      const control = controlFor(form, path);
      if (!control) { items.push(el("li", {}, `${path}: ${message}`)); return; }
      const text = el("p", { class: "error", id: `${control.id}-error` }, message);
      const box = control.closest(".field, fieldset") || control.parentElement;
      box.append(text);
      control.setAttribute("aria-invalid", "true");
      const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      control.setAttribute("aria-describedby", [...described, text.id].join(" "));
      const label = box.querySelector("label, legend");
      const link = el("a", { href: `#${control.id}` }, `${label ? label.textContent.replace(/\s*\*$/, "") : path}: ${message}`);
      items.push(el("li", {}, link));
    });
    // Its heading sits one level under the heading of the part of the page it belongs to.
    summary.replaceChildren(el(summary.closest(".panel, .viewer") ? "h3" : "h2", {}, title));
    if (general) summary.append(el("p", {}, general));
    if (items.length) summary.append(el("ul", {}, items));
    summary.hidden = false;
    focus(summary);
  }

  // In-page links (the skip link, an error summary's entries) move the focus, not the route.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link || link.getAttribute("href").startsWith("#/")) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    focus(target);
  });

  Netra.dom = { $, $$, el, append, show, focus, uid, field, clearErrors, problemsOf, controlFor, showErrors };
})(window.Netra = window.Netra || {});
