/* Form fields drawn from casework's own description of each body (reference.json), and the
   values read back. The rules live in the API: its per-field refusals are shown where they belong. */
"use strict";

(function (Netra) {
  const { el, field } = Netra.dom;
  const words = Netra.words;

  function memberLabel(member, me) {
    const unit = member.work_unit ? `, ${member.work_unit}` : "";
    const self = me && member.user_id === me.user_id ? " — Anda" : "";
    return `${member.full_name} (${words.role(member.role)}${unit})${self}`;
  }

  function choices(select, options) {
    select.append(el("option", { value: "" }, "Pilih…"));
    const groups = new Map();
    options.forEach((option) => {
      const node = el("option", { value: option.value }, option.label);
      if (!option.group) { select.append(node); return; }
      if (!groups.has(option.group)) {
        groups.set(option.group, el("optgroup", { label: option.group }));
        select.append(groups.get(option.group));
      }
      groups.get(option.group).append(node);
    });
    return select;
  }

  /* The control for one field. `context`: {members, disclosures, me} for the fields that pick one. */
  function control(spec, context) {
    const common = { name: spec.name, required: spec.required, "aria-required": spec.required ? "true" : null };
    switch (spec.kind) {
      case "textarea":
        return el("textarea", { ...common, rows: 4, maxlength: spec.maxlength });
      case "number":
        return el("input", { ...common, type: "number", inputmode: "numeric", min: spec.min, max: spec.max, step: 1 });
      case "date":
        return el("input", { ...common, type: "date" });
      case "choice":
        return choices(el("select", common), spec.options || []);
      case "member": {
        const members = (context && context.members) || null;
        if (!members) return el("input", { ...common, autocomplete: "off", spellcheck: "false" });
        return choices(el("select", common), members.map((m) => ({ value: m.user_id, label: memberLabel(m, context.me) })));
      }
      case "disclosure":
        return choices(el("select", common), ((context && context.disclosures) || []).map((d) => ({
          value: d.request_id, label: `Untuk ${d.recipient_name} (${d.recipient_body}): ${d.reason}` })));
      default:
        return el("input", { ...common, maxlength: spec.maxlength, autocomplete: "off" });
    }
  }

  function hintFor(spec, context) {
    if (spec.kind === "member" && !(context && context.members)) return "Id pengguna (UUID) anggota yang dituju.";
    if (spec.kind === "number" && spec.max) return `Dari ${spec.min} sampai ${spec.max}.`;
    if (spec.minlength) return `Paling sedikit ${spec.minlength} karakter.`;
    return null;
  }

  /* The labelled fields of `specs`, each control named as the API names the field. */
  function fields(specs, context, prefix) {
    return specs.map((spec) => {
      const input = control(spec, context);
      input.id = `${prefix}-${spec.name}`.replace(/[^a-zA-Z0-9_-]/g, "-");
      return field(spec.label, input, hintFor(spec, context), spec.required);
    });
  }

  /* What the member filled in: empty optional fields left out, numbers as numbers. */
  function values(form, specs) {
    const body = {};
    specs.forEach((spec) => {
      const input = form.elements[spec.name];
      if (!input) return;
      const text = input.value.trim();
      if (!text) return;
      body[spec.name] = spec.kind === "number" && /^-?\d+$/.test(text) ? Number(text) : text;
    });
    return body;
  }

  Netra.forms = { fields, values, memberLabel, choices };
})(window.Netra = window.Netra || {});
