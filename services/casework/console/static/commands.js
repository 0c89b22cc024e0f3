/* What a member may do next on a case: a form per command the case allows and the member's
   role may run, each sent with the version the member is looking at (expected_version), and
   every refusal explained where the member is. */
"use strict";

(function (Netra) {
  const { el, field, showErrors, problemsOf } = Netra.dom;
  const words = Netra.words;
  const TEAM_ROLES = ["ketua", "sekretaris", "anggota"];
  const TWO_PERSON = "Anda yang mengusulkan temuan ini. Aturan dua orang: anggota tim lain yang harus " +
    "mengonfirmasi atau menolaknya.";
  const OWN_REQUEST = "Anda sendiri yang meminta pengungkapan yang menunggu ini; yang meminta tidak boleh menyetujuinya.";
  const NAMES_ME = "Pengungkapan yang menunggu ini menyebut Anda sebagai penerima; ketua lain yang harus " +
    "memutuskannya (peminta, penyetuju, dan penerima adalah tiga orang berbeda).";

  /* [{command, blocked?, disclosures?}] for this member on this case (the API has the last word). */
  function offered(kase, me) {
    const ref = Netra.ref;
    const may = (command) => (ref.permissions[command] || []).includes(me.role);
    const assignedToMe = Boolean(kase.assignee && kase.assignee.id === me.user_id);
    const proposedByMe = Boolean(kase.proposal && kase.proposal.proposed_by === me.user_id);
    const list = [];
    // The API names what this member may run now (my_commands: role, assignee, two-person rule,
    // recusal); a confirmation they may not give is still shown, with why, never as a form.
    const mine = kase.my_commands || kase.allowed_commands || [];
    (kase.allowed_commands || []).forEach((command) => {
      if (!may(command)) return;
      if (!mine.includes(command) && !(proposedByMe && command === "confirm_violation")) return;
      if (me.role === "anggota" && ref.assignee_only_for_anggota.includes(command) && !assignedToMe) return;
      if (proposedByMe && command === "reject_proposal") return;
      if (proposedByMe && command === "confirm_violation") { list.push({ command, blocked: TWO_PERSON }); return; }
      list.push({ command });
    });
    if (may("request_disclosure") && kase.reporter && kase.reporter.identity_sealed) {
      list.push({ command: "request_disclosure" });
    }
    const kept = kase.retention || {};
    if (may("place_legal_hold") && !kept.purged_at) {  // the ketua holds a case, or lifts its hold
      list.push({ command: kept.on_hold ? "lift_legal_hold" : "place_legal_hold" });
    }
    const pending = (kase.disclosures || []).filter((d) => d.state === "pending");
    if (pending.length && may("approve_disclosure")) {
      const others = pending.filter((d) => d.requested_by !== me.user_id && d.recipient_id !== me.user_id);
      const blocked = pending.some((d) => d.recipient_id === me.user_id) ? NAMES_ME : OWN_REQUEST;
      list.push(others.length ? { command: "approve_disclosure", disclosures: others }
        : { command: "approve_disclosure", blocked });
      list.push({ command: "deny_disclosure", disclosures: pending });
    }
    return list;
  }

  function contextFor(item, team, me) {
    // The API refuses the rest with its reason; the console offers only who could be chosen.
    const members = team ? team.filter((m) => (item.command !== "assign" || TEAM_ROLES.includes(m.role)) &&
      (item.command !== "request_disclosure" || m.user_id !== me.user_id)) : null;
    return { me, members, disclosures: item.disclosures || [] };
  }

  /* One command: a disclosure widget holding its hint, its refusals and its form. */
  function commandBox(item, kase, options) {
    const spec = Netra.ref.commands[item.command];
    const box = el("details", { class: "command", "data-command": item.command },
      el("summary", {}, spec.label), el("p", { class: "hint" }, spec.hint));
    if (item.blocked) {
      box.append(el("p", { class: "blocked" }, item.blocked));
      return box;
    }
    const summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: true });
    const form = el("form", { novalidate: true },
      Netra.forms.fields(spec.fields, contextFor(item, options.team, options.me), `cmd-${item.command}`),
      item.command === "record_sanction" ? decreeField() : null,
      el("button", { type: "submit", class: item.command === "dismiss" ? "danger" : "primary" }, spec.label));
    form.addEventListener("submit", (event) => submit(event, spec, kase, summary, options));
    box.append(summary, form);
    return box;
  }

  /* BKPPD's decree (SK) as a PDF, optional: kept as evidence before the decision is recorded. */
  function decreeField() {
    return field("Berkas SK (PDF, opsional)", el("input", { type: "file", name: "decree_file", accept: "application/pdf" }),
      "PDF biasa tanpa kata sandi, paling besar 10 MB. Disimpan lebih dulu sebagai bukti; bila berkas ditolak, " +
      "keputusan belum dicatat.");
  }

  /* BKPPD's SK, when chosen, is handed in before the decision is recorded (a refused file records
     nothing); the decision is still sent for the version the member saw: their own SK does not
     make it stale. */
  async function handInDecree(form, kase) {
    const input = form.querySelector("input[name=decree_file]");
    const file = input && input.files && input.files[0];
    if (file) await Netra.api.sendPdf(`/api/v1/cases/${encodeURIComponent(kase.case_id)}/decree`, file);
  }

  async function submit(event, spec, kase, summary, options) {
    event.preventDefault();
    const form = event.target;
    const button = form.querySelector("button[type=submit]");
    const body = { ...Netra.forms.values(form, spec.fields), expected_version: kase.version };
    button.disabled = true;
    try {
      if (spec.command === "record_sanction") await handInDecree(form, kase);
      const answer = await Netra.api.post(`/api/v1/cases/${encodeURIComponent(kase.case_id)}/${spec.command}`, body);
      options.done(`Berhasil: ${spec.label}. Tahap sekarang: ${words.status(answer.status)} (versi ${answer.version}).`);
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      showErrors(form, summary, "Perintah tidak dijalankan", problemsOf(failure), words.refusal(failure));
      if (failure.code === "stale_version" || failure.code === "transition_not_allowed") {
        const again = el("button", { type: "button", class: "secondary" }, "Muat ulang kasus");
        again.addEventListener("click", () => options.reload());
        summary.append(again);
      }
    } finally {
      button.disabled = false;
    }
  }

  /* The "Tindakan" section. options: {me, team, done(message), reload()} */
  function section(kase, options) {
    const items = offered(kase, options.me);
    const body = items.length ? items.map((item) => commandBox(item, kase, options))
      : [el("p", {}, "Tidak ada tindakan yang dapat Anda jalankan pada tahap ini.")];
    return el("section", { class: "panel", "aria-labelledby": "case-actions-title" },
      el("h2", { id: "case-actions-title" }, "Tindakan"),
      el("p", { class: "hint" }, `Setiap perintah dikirim untuk versi ${kase.version} yang sedang Anda lihat; ` +
        "jika orang lain mengubah kasus lebih dahulu, perintah Anda tidak dijalankan."),
      body);
  }

  Netra.commands = { section, offered };
})(window.Netra = window.Netra || {});
