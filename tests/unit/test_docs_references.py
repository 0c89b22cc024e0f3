"""Every document the repository names is in the repository: someone who clones it can follow each
reference. A file that names a design, domain or style note kept elsewhere, a path under docs/ or a
decision record that is not there, or a Markdown link (and its #section) that leads nowhere fails here.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Build output, local data and tools' folders: not the repository's own text.
SKIPPED_DIRS = frozenset({".git", ".venv", ".netra", "test-output", "bench-results", "node_modules",
                          "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis",
                          "build", "dist"})
LARGEST_TEXT_BYTES = 2_000_000

# The three notes the project was first planned from lived outside the repository; their content is
# now docs/architecture.md, docs/domain.md and docs/conventions.md. Spelt in parts so that this file
# does not name them itself.
OUTSIDE_NOTES = re.compile(r"\b(?:" + "|".join(("DESIGN", "DOMAIN", "STYLE")) + r")\.md\b")
# A document named by its upper-case file name (README.md): some file of that name must exist.
UPPER_CASE_DOC = re.compile(r"(?<![\w/.-])([A-Z][A-Z0-9_-]+\.md)\b")
# A path into docs/ from the repository's root, not part of a longer path or address.
DOCS_PATH = re.compile(r"(?<![\w/.-])(docs/[\w./-]+?\.md)\b")
DECISION_NUMBER = re.compile(r"(?<![\w/.-])docs/decisions/(\d{4})(?!\d)")
# A path of the code in backticks, as the living docs (README.md, docs/*.md but the decision records,
# which keep the paths of their day) name the files they describe.
CODE_PATH = re.compile(r"`((?:services|netra_common|netra_cli|tests|deploy)/[\w./-]*)`")
LIVING_DOCS = re.compile(r"(README|docs/[^/]+)\.md")
# A Markdown link to a file or folder of the repository, perhaps to a section (#anchor); not to a web address.
MARKDOWN_LINK = re.compile(r"\]\((?![a-z][a-z+.-]*:)([^)\s#]*)(#[^)\s]*)?\)")


def repository_files(root: Path = ROOT) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        found += [Path(folder, name) for name in files
                  if Path(folder, name).stat().st_size <= LARGEST_TEXT_BYTES]
    return found


@functools.cache
def markdown_names(root: Path) -> frozenset[str]:
    return frozenset(path.name for path in repository_files(root) if path.suffix == ".md")


def text_of(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None  # an image, a font: no references in it
    return data.decode("utf-8", errors="replace")


def heading_anchors(markdown: str) -> set[str]:
    """The #anchors GitHub gives a Markdown file's headings."""
    anchors = set()
    for line in markdown.splitlines():
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            anchors.add(slug)
    return anchors


def broken_references(relative: str, text: str, root: Path = ROOT) -> list[str]:
    """What `text` (the content of the file at `relative`) names that is not in the repository."""
    problems = [f"{relative}: names {m.group(0)}, which is not in the repository; point at docs/architecture.md, "
                "docs/domain.md or docs/conventions.md (with the section)" for m in OUTSIDE_NOTES.finditer(text)]
    problems += [f"{relative}: names {m.group(1)}, and no file of that name is in the repository"
                 for m in UPPER_CASE_DOC.finditer(text)
                 if not OUTSIDE_NOTES.match(m.group(1)) and m.group(1) not in markdown_names(root)]
    problems += [f"{relative}: names {m.group(1)}, which does not exist"
                 for m in DOCS_PATH.finditer(text) if not (root / m.group(1)).is_file()]
    decisions = root / "docs" / "decisions"
    problems += [f"{relative}: names decision record {m.group(1)}, which docs/decisions/ does not have"
                 for m in DECISION_NUMBER.finditer(text) if not any(decisions.glob(f"{m.group(1)}-*.md"))]
    if relative.endswith(".md"):
        problems += _broken_links(relative, text, root)
    if LIVING_DOCS.fullmatch(relative):
        problems += [f"{relative}: names {m.group(1)}, which is not there (moved or renamed? say where it is now)"
                     for m in CODE_PATH.finditer(text) if not (root / m.group(1)).exists()]
    return problems


def _broken_links(relative: str, text: str, root: Path) -> list[str]:
    problems = []
    here = (root / relative).parent
    for match in MARKDOWN_LINK.finditer(text):
        target, anchor = match.group(1), match.group(2)
        linked = (here / target).resolve() if target else root / relative
        if not linked.exists():
            problems.append(f"{relative}: links to {target}, which does not exist")
        elif anchor and linked.suffix == ".md" and anchor[1:] not in heading_anchors(
                linked.read_text(encoding="utf-8")):
            problems.append(f"{relative}: links to {target or ''}{anchor}, a section {linked.name} does not have")
    return problems


def test_every_document_the_repository_names_is_in_it():
    problems = []
    for path in repository_files():
        text = text_of(path)
        if text is not None:
            problems += broken_references(path.relative_to(ROOT).as_posix(), text)
    assert not problems, "\n".join(problems)


def test_the_three_documents_are_there_and_the_readme_links_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/architecture.md", "docs/domain.md", "docs/conventions.md"):
        assert (ROOT / doc).is_file(), doc
        assert f"]({doc})" in readme, f"README.md does not link {doc}"


def test_a_note_kept_outside_the_repository_is_named_as_missing():
    note = "DESIGN" + ".md"
    problems = broken_references("services/example.py", f'"""As {note} says, the bus ..."""')
    assert len(problems) == 1 and note in problems[0]


def test_a_docs_path_or_decision_that_is_not_there_is_named():
    text = "see docs/" + "nowhere.md and docs/decisions/" + "9999 and docs/decisions/0002"
    problems = broken_references("services/example.py", text)
    assert [p.split(": names ")[1].split(",")[0] for p in problems] == ["docs/" + "nowhere.md", "decision record 9999"]


def test_a_living_doc_that_names_code_no_longer_there_is_named(tmp_path):
    (tmp_path / "services" / "casework").mkdir(parents=True)
    (tmp_path / "services" / "casework" / "service.py").write_text("", encoding="utf-8")
    text = "`services/casework/service.py`, `services/casework/`, `services/casework/views.py`"
    assert broken_references("docs/architecture.md", text, root=tmp_path) == [
        "docs/architecture.md: names services/casework/views.py, which is not there (moved or renamed? say where "
        "it is now)"]
    assert broken_references("docs/decisions/0004-team-console.md", text, root=tmp_path) == []


def test_a_link_to_a_missing_file_or_section_is_named(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# A\n\n## The bus\n", encoding="utf-8")
    text = ("# C\n[ok](a.md#the-bus) [gone](b.md) [no section](a.md#the-event-store) [here](#c) [there](#a) "
            "[folder](../notes/) [no folder](../gone/) [web](https://example.org/x.md)")
    (tmp_path / "notes" / "c.md").write_text(text, encoding="utf-8")
    problems = broken_references("notes/c.md", text, root=tmp_path)
    assert problems == ["notes/c.md: links to b.md, which does not exist",
                        "notes/c.md: links to a.md#the-event-store, a section a.md does not have",
                        "notes/c.md: links to #a, a section c.md does not have",
                        "notes/c.md: links to ../gone/, which does not exist"]


def test_headings_get_githubs_anchors():
    headings = "## Confidentiality of the reporter\n### NIP and NIK\n## Platforms, kecamatan and work units"
    assert heading_anchors(headings) == {"confidentiality-of-the-reporter", "nip-and-nik",
                                         "platforms-kecamatan-and-work-units"}
