/* Checks screenshots in the browser before anything is uploaded: the same first look
   intake takes (kind by the file's first bytes, size per file and in total, count).
   The server checks again; this only spares a reporter a long upload that would fail. */
"use strict";

window.NetraFiles = (function () {
  const limits = { max_files: 5, max_files_per_complaint: 20, max_file_bytes: 10 * 1024 * 1024,
                   max_total_bytes: 25 * 1024 * 1024 };

  function setLimits(fromServer) {
    if (fromServer) Object.assign(limits, fromServer);
  }

  function startsWith(bytes, signature, offset) {
    return signature.every((value, i) => bytes[(offset || 0) + i] === value);
  }

  function sniff(bytes) {
    if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
    if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
    if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
      return "image/webp";
    }
    return null;
  }

  async function head(file) {
    return new Uint8Array(await file.slice(0, 16).arrayBuffer());
  }

  function formatSize(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " B";
  }

  /* Resolves to {files: [{file, problem}], problems: [{key, values}]}; problem is null when fine.
     `alreadyAttached`: the complaint's screenshots so far (a reply adds to them). Two limits, as
     intake has them: so many files in one request, and so many for the whole complaint. */
  async function check(fileList, alreadyAttached) {
    const files = Array.from(fileList || []);
    const already = alreadyAttached || 0;
    const problems = [];
    if (files.length > limits.max_files) problems.push({ key: "files_count", values: { max: limits.max_files } });
    else if (already + files.length > limits.max_files_per_complaint) {
      problems.push({ key: "files_per_complaint", values: {
        max: limits.max_files_per_complaint, left: Math.max(limits.max_files_per_complaint - already, 0) } });
    }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    if (total > limits.max_total_bytes) problems.push({ key: "files_total", values: {} });
    const checked = [];
    for (const file of files) {
      let problem = null;
      if (file.size === 0) problem = "file_empty";
      else if (file.size > limits.max_file_bytes) problem = "file_size";
      else if (sniff(await head(file)) === null) problem = "file_type";
      if (problem) problems.push({ key: problem, values: { name: file.name } });
      checked.push({ file: file, problem: problem });
    }
    return { files: checked, problems: problems };
  }

  return { check: check, formatSize: formatSize, setLimits: setLimits, sniff: sniff };
})();
