/* What the console says: times in WIB, codes in words (from /console/reference.json, which
   casework builds from its own lists), and every refusal of the API explained. */
"use strict";

(function (Netra) {
  const ref = () => Netra.ref || {};

  // Bengkalis keeps WIB (UTC+7) all year; times show in WIB whatever the computer's own zone is.
  function wib(iso) {
    if (!iso) return "-";
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return String(iso);
    return when.toLocaleString("id-ID", { timeZone: "Asia/Jakarta", day: "numeric", month: "short",
                                          year: "numeric", hour: "2-digit", minute: "2-digit" }) + " WIB";
  }

  function day(isoDate) {
    if (!isoDate) return "-";
    const [year, month, date] = String(isoDate).split("-").map(Number);
    if (!year || !month || !date) return String(isoDate);
    return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString("id-ID", {
      timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
  }

  const number = (value) => (value === null || value === undefined ? "-" : Number(value).toLocaleString("id-ID"));

  function fromPairs(list, value) {
    const found = (list || []).find((item) => item.value === value);
    return found ? found.label : value;
  }

  const status = (code) => (ref().statuses || {})[code] || code || "-";
  const event = (code) => (ref().events || {})[code] || code;
  const role = (code) => (ref().roles || {})[code] || code || "-";
  const command = (code) => ((ref().commands || {})[code] || {}).label || code;
  const platform = (code) => fromPairs(ref().platforms, code) || "-";
  const violation = (code) => fromPairs(ref().violation_types, code);
  const violations = (codes) => (codes || []).map(violation).join("; ") || "-";
  const sanctionLevel = (code) => (ref().sanction_levels || {})[code] || code || "-";
  const sanctionType = (code) => (ref().sanction_types || {})[code] || code || "-";
  const dismissal = (code) => (ref().dismissal_reasons || {})[code] || code || "-";
  const rejection = (code) => (ref().rejections || {})[code] || code;
  const link = (code) => (ref().links || {})[code] || code;
  const disclosureState = (code) => (ref().disclosure_states || {})[code] || code;
  const source = (code) => (ref().sources || {})[code] || code || "-";
  const notifyMode = (code) => fromPairs(ref().notify_modes, code) || "-";
  const dimension = (code) => (ref().dimensions || {})[code] || code;
  const accountState = (code) => (ref().account_states || {})[code] || code || "-";
  const accountAction = (code) => (ref().account_actions || {})[code] || code;
  const actor = (code) => (ref().actors || {})[code] || code;

  /* A refusal in words: what happened and what the member can do about it. */
  function refusal(failure) {
    const details = failure.details || {};
    switch (failure.code) {
      case "stale_version":
        return `Kasus ini telah diubah orang lain sejak Anda membukanya (Anda melihat versi ${details.expected_version}, ` +
          `sekarang versi ${details.current_version}). Perintah Anda tidak dijalankan. Muat ulang kasus, ` +
          "periksa perubahannya, lalu putuskan lagi.";
      case "transition_not_allowed": {
        const allowed = (details.allowed || []).map(command).join(", ") || "tidak ada";
        return `Perintah "${command(details.command)}" tidak dapat dijalankan pada tahap "${status(details.status)}". ` +
          `Yang dapat dijalankan sekarang: ${allowed}. Mungkin kasus telah bergerak; muat ulang untuk melihatnya.`;
      }
      case "forbidden": {
        const action = (/'([a-z_]+)'/.exec(failure.message || "") || [])[1];
        const named = action && (ref().commands || {})[action] ? `perintah "${command(action)}"` : "tindakan ini";
        return `Peran Anda tidak diizinkan menjalankan ${named}.`;
      }
      case "second_member_required":
        return `${failure.message} Aturan dua orang: yang mengusulkan atau meminta tidak memutuskannya sendiri.`;
      case "account_changed":
        return `${failure.message} Daftar akun sudah dimuat ulang.`;
      case "network":
        return failure.message;
      default:
        return failure.message || `Permintaan ditolak (HTTP ${failure.status}).`;
    }
  }

  Netra.words = { wib, day, number, fromPairs, status, event, role, command, platform, violation, violations,
                  sanctionLevel, sanctionType, dismissal, rejection, link, disclosureState, source, notifyMode,
                  dimension, accountState, accountAction, actor, refusal };
})(window.Netra = window.Netra || {});
