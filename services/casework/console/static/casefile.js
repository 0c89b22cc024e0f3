/* One case file: the facts, the decisions, the screenshots, what may be done next, the
   conversation with the reporter, disclosures (who and why, never the identity itself),
   linked cases and the whole timeline, each event in words with who and when (WIB). */
"use strict";

(function (Netra) {
  const { $, el, focus } = Netra.dom;
  const words = Netra.words;
  const api = Netra.api;
  const state = { caseId: null, kase: null, team: null };

  function facts(pairs) {
    return el("dl", { class: "facts" }, pairs.filter(Boolean).map(([term, value]) => [
      el("dt", {}, term), el("dd", {}, value === null || value === undefined || value === "" ? "-" : value)]));
  }

  function panel(id, title, ...content) {
    return el("section", { class: "panel", "aria-labelledby": id }, el("h2", { id }, title), content);
  }

  function person(id) {
    if (!id) return "-";
    const me = Netra.app.me;
    if (me && id === me.user_id) return `Anda (${me.full_name})`;
    const member = (state.team || []).find((m) => m.user_id === id);
    return member ? `${member.full_name} (${words.role(member.role)})` : "anggota tim";
  }

  function actor(who) {
    if (!who || who.id === "system" || who.role === "system") return "Sistem";
    const me = Netra.app.me;
    if (me && who.id === me.user_id) return `Anda (${words.role(who.role)})`;
    const member = (state.team || []).find((m) => m.user_id === who.id);
    return member ? `${member.full_name} (${words.role(who.role)})` : words.role(who.role);
  }

  function header(kase) {
    const badges = [el("span", { class: "status" }, words.status(kase.status)),
                    kase.overdue ? el("span", { class: "badge overdue" }, "Terlambat") : null];
    const reload = el("button", { type: "button", class: "secondary" }, "Muat ulang kasus");
    reload.addEventListener("click", () => show(kase.case_id));
    const actions = [reload];
    if (Netra.app.may("view_dossier") && kase.finding) {
      ["pdf", "json"].forEach((kind) => {
        const button = el("button", { type: "button", class: "secondary" }, `Unduh berkas untuk BKPPD (${kind.toUpperCase()})`);
        button.addEventListener("click", () => dossier(kase, kind));
        actions.push(button);
      });
    }
    return [
      el("h1", { id: "case-title", tabindex: "-1" }, `Kasus ${kase.case_number}`),
      el("p", { class: "badges" }, badges),
      facts([["Tahap", words.status(kase.status)], ["Versi yang Anda lihat", String(kase.version)],
             ["Sumber", words.source(kase.source)], ["Dibuka", words.wib(kase.opened_at)],
             ["Masuk tahap ini", words.wib(kase.stage_entered_at)],
             ["Batas waktu tahap", `${words.wib(kase.due_at)}${kase.overdue ? " (terlambat)" : ""}`],
             ["Petugas", kase.assignee ? kase.assignee.name : "Belum ditugaskan"]]),
      el("div", { class: "actions" }, actions),
      el("div", { id: "case-notice", class: "notice good", role: "status", tabindex: "-1", hidden: true }),
    ];
  }

  async function dossier(kase, kind) {
    try {
      await api.download(`/api/v1/cases/${encodeURIComponent(kase.case_id)}/dossier.${kind}`,
                         `berkas-kasus-${kase.case_number}.${kind}`);
    } catch (failure) {
      if (!Netra.app.ended(failure)) say(words.refusal(failure), "bad");
    }
  }

  /* BKPPD, the leads, and the anggota the case is assigned to (the API has the last word). */
  function mayOpenDecree(kase) {
    const me = Netra.app.me;
    if (!me || !Netra.app.may("view_decree")) return false;
    return me.role !== "anggota" || Boolean(kase.assignee && kase.assignee.id === me.user_id);
  }

  /* The SK exactly as kept: each opening is logged in custody and on the case. */
  async function openDecree(kase, decree, n) {
    try {
      await api.download(`/api/v1/cases/${encodeURIComponent(kase.case_id)}/decrees/${encodeURIComponent(decree.decree_id)}.pdf`,
                         `SK-${kase.case_number}-${n}.pdf`);
    } catch (failure) {
      if (!Netra.app.ended(failure)) say(words.refusal(failure), "bad");
    }
  }

  function reported(kase) {
    const asn = kase.reported || {};
    const reporter = kase.reporter || {};
    const flags = [reporter.anonymous ? "anonim" : "menyebutkan identitas",
                   reporter.identity_sealed ? "identitas tersegel di brankas" : null,
                   reporter.contact_consent ? "bersedia dihubungi" : null].filter(Boolean).join(", ");
    // Only web addresses become links (the API checks them too); anything else stays text.
    const links = (kase.post_urls || []).map((url) => el("li", {}, /^https?:\/\//i.test(url)
      ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url) : url));
    return panel("case-facts-title", "Fakta pengaduan",
      el("h3", {}, "ASN yang dilaporkan"),
      facts([["Nama", asn.name], ["NIP", asn.nip], ["Jabatan", asn.position], ["Unit kerja", asn.work_unit],
             ["Kecamatan", asn.kecamatan]]),
      el("h3", {}, "Dugaan pelanggaran"),
      facts([["Platform", words.platform(kase.platform)], ["Akun", kase.account_handle],
             ["Waktu kejadian", words.wib(kase.occurred_at)], ["Jenis", words.violations(kase.violation_types)],
             ["Uraian", el("span", { class: "prose" }, kase.description || "-")],
             ["Tautan unggahan", links.length ? el("ul", { class: "plain" }, links) : "-"]]),
      el("h3", {}, "Pelapor"),
      facts([["Keterangan", flags || "-"]]),
      el("p", { class: "hint" }, "Identitas pelapor tidak pernah tampil di sini. Hanya penerima pengungkapan " +
        "yang disetujui ketua yang dapat membacanya, dan pembacaannya tercatat."));
  }

  function finding(item, title, extra) {
    return [el("h3", {}, title), facts([["Temuan", el("span", { class: "prose" }, item.finding)],
      ["Dasar hukum", item.legal_basis], ["Tingkat sanksi", words.sanctionLevel(item.sanction_level)],
      ["Diusulkan oleh", person(item.proposed_by)], ...(extra || [])])];
  }

  function decisions(kase) {
    const parts = [];
    if (kase.proposal && !kase.finding) parts.push(finding(kase.proposal, "Usulan pelanggaran (menunggu anggota kedua)"));
    if (kase.finding) parts.push(finding(kase.finding, "Temuan yang dikonfirmasi", [["Dikonfirmasi oleh", person(kase.finding.confirmed_by)]]));
    if (kase.dismissal) {
      parts.push(el("h3", {}, "Tidak dilanjutkan"), facts([["Alasan", words.dismissal(kase.dismissal.reason)],
        ["Catatan", kase.dismissal.note], ["Duplikat dari", kase.dismissal.duplicate_of]]));
    }
    if (kase.sanction) {
      parts.push(el("h3", {}, "Keputusan sanksi BKPPD"), facts([["Jenis sanksi", words.sanctionType(kase.sanction.sanction_type)],
        ["Nomor SK", kase.sanction.decree_number], ["Tanggal SK", words.day(kase.sanction.decree_date)],
        ["Catatan", kase.sanction.note]]));
    }
    (kase.decrees || []).forEach((d, i) => {
      parts.push(el("h3", {}, "Berkas SK (PDF, disimpan sebagai bukti)"), facts([["SHA-256", el("code", {}, d.sha256)],
        ["Ukuran", `${d.size} byte, ${d.pages} halaman`], ["Diterima", words.wib(d.received_at)]]));
      if (mayOpenDecree(kase)) {
        const open = el("button", { type: "button", class: "secondary", "data-decree": d.decree_id },
                        `Buka berkas SK ${i + 1} (PDF)`);
        open.addEventListener("click", () => openDecree(kase, d, i + 1));
        parts.push(el("div", { class: "actions" }, [open]));
      }
    });
    return parts.length ? panel("case-decisions-title", "Temuan dan keputusan", parts) : null;
  }

  function conversation(kase) {
    const messages = kase.conversation || [];
    if (!messages.length) return null;
    return panel("case-conversation-title", "Percakapan dengan pelapor", el("ul", { class: "messages" },
      messages.map((m) => el("li", { class: m.author === "team" ? "from-team" : "from-reporter" },
        el("p", { class: "who" }, m.author === "team" ? "Tim bertanya" : "Pelapor menulis"),
        el("p", { class: "body" }, m.body || "")))));
  }

  function disclosures(kase) {
    const items = kase.disclosures || [];
    if (!items.length) return null;
    return panel("case-disclosures-title", "Pengungkapan identitas pelapor", el("ul", { class: "cards" },
      items.map((d) => el("li", {}, facts([["Keadaan", words.disclosureState(d.state)],
        ["Penerima", `${d.recipient_name} (${d.recipient_body})`], ["Alasan", d.reason],
        ["Diminta oleh", person(d.requested_by)],
        ["Berlaku sampai", d.valid_until ? words.wib(d.valid_until) : "-"], ["Sudah dibaca", `${d.reads || 0} kali`]])))));
  }

  const HOLD_WORDS = { appeal: "keberatan atau banding", court: "pengadilan atau penegak hukum",
                       audit: "pemeriksaan Ombudsman/inspektorat", subject_request: "permintaan subjek data",
                       other: "alasan lain" };

  /* How long the case's personal data is kept, a legal hold, a purge (docs/retention.md). */
  function retention(kase) {
    const kept = kase.retention;
    if (!kept) return null;
    const rows = [["Disimpan sampai", kept.keep_until ? words.wib(kept.keep_until) : "belum ada keputusan akhir"]];
    if (kept.hold) rows.push(["Ditahan (legal hold)", `${HOLD_WORDS[kept.hold.reason] || kept.hold.reason}: ${kept.hold.note}`]);
    if (kept.purged_at) rows.push(["Data pribadi dihapus", words.wib(kept.purged_at)]);
    return panel("case-retention-title", "Retensi data", facts(rows));
  }

  function links(kase) {
    const byCase = new Map(); // one line per linked case, with every reason it is linked for
    (kase.links || []).forEach((l) => {
      if (!byCase.has(l.case_id)) byCase.set(l.case_id, { ...l, reasons: [] });
      byCase.get(l.case_id).reasons.push(l.why || words.link(l.reason)); // in words, never the ids
    });
    if (!byCase.size) return null;
    return panel("case-links-title", "Kasus terkait", el("ul", { class: "plain" }, [...byCase.values()].map((l) =>
      el("li", {}, el("a", { href: `#/kasus/${encodeURIComponent(l.case_id)}` }, l.case_number),
        ` — ${words.status(l.status)} — ${l.reasons.join("; ")}`))));
  }

  const COPY_WORDS = { thumbnail: "gambar kecil", sanitized: "salinan bersih", original: "salinan asli" };

  function timeline(kase) {
    return panel("case-timeline-title", "Riwayat kasus", el("ol", { class: "timeline" },
      (kase.timeline || []).map((t) => el("li", {}, el("span", { class: "what" }, words.event(t.type)),
        el("span", { class: "when" }, `${words.wib(t.at)} · oleh ${actor(t.actor)} · versi ${t.version}` +
          (t.status ? ` · tahap: ${words.status(t.status)}` : ""))))));
  }

  /* Who looked (a screenshot, the SK, the identity): logged apart from the changes, so a view
     never fills the history nor changes what a member decides on. */
  function accessLog(kase) {
    const views = kase.access_log || [];
    if (!views.length) return null;
    return panel("case-access-title", "Catatan akses (siapa melihat)", el("ol", { class: "access-log" },
      views.map((t) => el("li", {},
        el("span", { class: "what" }, t.copy ? `${words.event(t.type)} (${COPY_WORDS[t.copy] || t.copy})` : words.event(t.type)),
        el("span", { class: "when" }, `${words.wib(t.at)} · oleh ${actor(t.viewer || t.actor)}`),
        t.purpose ? el("span", { class: "when" }, `Keperluan: ${t.purpose}`) : null))));
  }

  function render(kase) {
    const me = Netra.app.me;
    const actions = Netra.commands.section(kase, { me, team: state.team, reload: () => show(kase.case_id),
                                                   done: (message) => show(kase.case_id, message) });
    // On a wide screen what to do and what happened sit beside the facts; on a phone, below them.
    $("#case-content").replaceChildren(...header(kase), el("div", { class: "case-grid" },
      el("div", { class: "case-main" }, [reported(kase), decisions(kase), Netra.evidence.section(kase),
                                         conversation(kase), disclosures(kase), retention(kase), links(kase)].filter(Boolean)),
      el("div", { class: "case-side" }, [actions, Netra.identity.section(kase, me), timeline(kase), accessLog(kase)].filter(Boolean))));
  }

  function say(message, kind) {
    const notice = $("#case-notice");
    if (!notice) { Netra.app.notice(message, kind); return; }
    notice.className = `notice ${kind || "good"}`;
    notice.textContent = message;
    notice.hidden = false;
    focus(notice);
  }

  async function team() {
    if (!Netra.app.may("view_team")) return null;
    try {
      return await api.get("/api/v1/team");
    } catch (failure) {
      return null; // the forms then ask for an id instead of offering names
    }
  }

  async function show(caseId, message) {
    message = message || Netra.casefile.pending; // e.g. "filed", said once on the new case
    Netra.casefile.pending = null;
    Netra.app.showView("case-view");
    if (caseId !== state.caseId) { leave(); state.caseId = caseId; }
    const content = $("#case-content");
    content.setAttribute("aria-busy", "true");
    try {
      const [kase, members] = await Promise.all([api.get(`/api/v1/cases/${encodeURIComponent(caseId)}`), team()]);
      state.kase = kase;
      state.team = members;
      render(kase);
      if (message) say(message, "good"); else focus($("#case-title"));
    } catch (failure) {
      if (Netra.app.ended(failure)) return;
      content.replaceChildren(el("h1", { id: "case-title", tabindex: "-1" }, "Kasus tidak dapat dibuka"),
        el("p", { class: "error" }, words.refusal(failure)));
      focus($("#case-title"));
    } finally {
      content.removeAttribute("aria-busy");
    }
  }

  /* Leaving the case lets go of its images and of any identity on screen. */
  function leave() {
    Netra.identity.clear();
    Netra.evidence.forget();
    $("#case-content").replaceChildren();
    state.caseId = null;
    state.kase = null;
  }

  Netra.casefile = { show, leave, pending: null };
})(window.Netra = window.Netra || {});
