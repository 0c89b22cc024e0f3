"""The work units (OPD) of Bengkalis as one closed list, shared by the portal, the team's console
and the statistics (work_units.yaml beside this file): a name is a listed unit, or "other" said in
words. The same unit typed in other capitals, spacing or punctuation ("dinas  pendidikan") is the
listed one, so the statistics count "Dinas Pendidikan" once."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

LIST_FILE = Path(__file__).with_name("work_units.yaml")
# What the forms offer beside the list: a unit not in it, written by the person filing.
OTHER = {"value": "other", "label": "Lainnya (tulis nama unit kerjanya)"}


@lru_cache(maxsize=1)
def work_units() -> dict[str, tuple[str, ...]]:
    """The groups in order, each with its units."""
    loaded = yaml.safe_load(LIST_FILE.read_text(encoding="utf-8"))
    return {str(group): tuple(str(name) for name in names) for group, names in loaded.items()}


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


@lru_cache(maxsize=1)
def _by_key() -> dict[str, str]:
    return {_key(name): name for names in work_units().values() for name in names}


def listed_unit(name: str | None) -> str | None:
    """The listed unit this name is, or None if it names none (an "other" unit)."""
    return _by_key().get(_key(name)) if name else None


def same_unit(name: str | None) -> str | None:
    """The name as it is kept and counted: the listed unit's own spelling, else the words as written
    (spaces tidied); None for nothing."""
    if name is None or not name.strip():
        return None
    return listed_unit(name) or " ".join(name.split())
