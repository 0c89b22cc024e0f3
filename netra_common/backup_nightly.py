"""The nightly backup (`netra-backup nightly`, docs/operations.md "Backups"): the data backup and
the case keys' backup (docs/decisions/0037) written side by side under names that carry their UTC
stamp, then the old ones pruned by that stamp, never by a file's mtime (a copy to off-host storage
changes the mtime, not the name).

What is kept (each a setting, NETRA_BACKUP_*):
- `keys-<stamp>.backup`: every one, until the KEYS_DAYS-th day after it was written (35, and never
  more: an older key backup would open the identities a purge destroyed since);
- `data-<stamp>.backup`: every one for DATA_DAYS days (30), and the first of each calendar month
  (the earliest stamp of that month in the folder) for MONTHLY_YEARS years (5, the retention of
  evidence).
Ages are counted in UTC days, so a job that runs a few minutes early or late prunes the same files.
A file whose name does not match the pattern is never touched. Nothing is pruned unless both new
backups were written: a failed night never shortens what is kept.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from netra_common.backup_keys import KEEP_DAYS as KEYS_MAX_DAYS

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"(?P<kind>data|keys)-(?P<stamp>\d{8}T\d{6}Z)\.backup")


class NightlyFailed(Exception):
    """The night's backup could not be written; nothing was pruned."""


@dataclass(frozen=True)
class Policy:
    data_days: int = 30
    monthly_years: int = 5
    keys_days: int = KEYS_MAX_DAYS

    def __post_init__(self) -> None:
        if not 1 <= self.keys_days <= KEYS_MAX_DAYS:
            raise ValueError(f"NETRA_BACKUP_KEYS_DAYS must be 1..{KEYS_MAX_DAYS} (decision 0037), not {self.keys_days}")
        if self.data_days < 1 or self.monthly_years < 1:
            raise ValueError("NETRA_BACKUP_DATA_DAYS and NETRA_BACKUP_MONTHLY_YEARS must be at least 1")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Policy:
        def number(name: str, default: int) -> int:
            text = env.get(name, "").strip()
            try:
                return int(text) if text else default
            except ValueError:
                raise ValueError(f"{name} must be a whole number of days or years, not {text!r}") from None
        return cls(number("NETRA_BACKUP_DATA_DAYS", cls.data_days),
                   number("NETRA_BACKUP_MONTHLY_YEARS", cls.monthly_years),
                   number("NETRA_BACKUP_KEYS_DAYS", cls.keys_days))


def stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(STAMP_FORMAT)


def parse(name: str) -> tuple[str, datetime] | None:
    """(kind, stamp) of a backup's file name, or None for any other name."""
    found = NAME.fullmatch(name)
    if not found:
        return None
    try:
        return found["kind"], datetime.strptime(found["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:  # 20261399T...: looks like ours, is not
        return None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def to_prune(names: Iterable[str], now: datetime, policy: Policy) -> list[str]:
    """The names, among `names` (one folder's files), that the policy no longer keeps."""
    today = now.astimezone(UTC).date()
    ours = sorted((stamped[1], name, stamped[0]) for name in names if (stamped := parse(name)))
    first_of_month: dict[tuple[int, int], str] = {}
    for when, name, kind in ours:
        if kind == "data":
            first_of_month.setdefault((when.year, when.month), name)
    monthly = set(first_of_month.values())
    gone = []
    for when, name, kind in ours:
        day = when.date()
        if kind == "keys":
            expired = day <= today - timedelta(days=policy.keys_days)
        elif name in monthly:
            expired = day <= _years_before(today, policy.monthly_years)
        else:
            expired = day <= today - timedelta(days=policy.data_days)
        if expired:
            gone.append(name)
    return gone


def _files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink()]


@dataclass
class NightlyReport:
    written: list[Path] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)
    not_pruned: list[str] = field(default_factory=list)  # "path: reason" of each that could not be deleted


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise NightlyFailed(f"folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NightlyFailed(f"folder {folder} is not writable by this user")


def _write(final: Path, writer: Callable[[Path], object]) -> None:
    """Write through a hidden partial name, renamed only once complete: a cut-short night leaves no
    file that looks like a backup (and the pattern never matches the partial name)."""
    partial = final.with_name(f".{final.name}.partial")
    try:
        writer(partial)
    except Exception as exc:
        partial.unlink(missing_ok=True)  # this run's own unfinished file, never an older backup
        raise NightlyFailed(f"{final.name}: {_reason(exc)}") from exc
    partial.rename(final)


def _reason(exc: Exception) -> str:
    stderr = getattr(exc, "stderr", None)
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    last = stderr.strip().splitlines()[-1] if isinstance(stderr, str) and stderr.strip() else ""
    return f"{type(exc).__name__}: {last or exc}"


def run(write_data: Callable[[Path], object], write_keys: Callable[[Path], object], data_dir: Path,
        keys_dir: Path, now: datetime, policy: Policy, dry_run: bool = False) -> NightlyReport:
    """Write the night's two backups (the data first, then the keys: decision 0037), then prune
    both folders. Raises NightlyFailed, having pruned nothing, when either could not be written."""
    report = NightlyReport()
    for folder in {data_dir, keys_dir}:
        _check_folder(folder)
    data_file, keys_file = data_dir / f"data-{stamp(now)}.backup", keys_dir / f"keys-{stamp(now)}.backup"
    if not dry_run:
        _write(data_file, write_data)
        _write(keys_file, write_keys)
    report.written = [data_file, keys_file]
    for folder in sorted({data_dir, keys_dir}):
        for name in to_prune(_files(folder), now, policy):
            try:
                if not dry_run:
                    (folder / name).unlink()
            except OSError as exc:
                report.not_pruned.append(f"{folder / name}: {exc.strerror}")
                continue
            report.pruned.append(folder / name)
    return report
