"""Everything in the buckets is accounted for: every object version in quarantine, evidence and
derivatives is explained by a record, or named (verify) and removed where it can be (reconcile).

- evidence and derivatives: a version is explained by its stored_objects row. One that is not,
  while an intent for its key is younger than the put grace, belongs to an attempt under way
  and is left alone. Otherwise it was put by an attempt that never committed (an intent is
  left) or by no one evidence knows of; an original under retention cannot be removed before
  its date, which is said.
- quarantine: an upload whose outcome is recorded should have gone (it is raw, EXIF and all);
  one evidence never heard of is kept for the quarantine grace (its complaint may be held up).

Only an explicit reconcile removes versions no intent explains: they may be what someone wants
to look at. The timer removes only what evidence's own failed attempts left.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from minio.error import S3Error

from netra_common.logging import log_event
from services.evidence.adapters import records, storage
from services.evidence.settings import Settings

log = logging.getLogger(__name__)

ABANDONED = "put by an attempt that never committed"
UNKNOWN = "no record explains it"
LEFTOVER = "outcome recorded, still in quarantine"
UNCLAIMED = "unknown to evidence past the quarantine grace"


@dataclass(frozen=True)
class Unexplained:
    bucket: str
    key: str
    version_id: str | None
    why: str
    locked_until: datetime | None = None

    def __str__(self) -> str:
        version = f" version {self.version_id}" if self.version_id else ""
        lock = f"; locked until {self.locked_until.isoformat()}" if self.locked_until else ""
        return f"{self.bucket}/{self.key}{version}: {self.why}{lock}"


def _version(raw) -> str | None:
    return None if raw in (None, "", "null") else raw


def _versions(client, bucket: str):
    """(key, version) of every object version in a bucket; delete markers hold nothing."""
    for entry in client.list_objects(bucket, recursive=True, include_version=True):
        if not entry.is_delete_marker:
            yield entry.object_name, _version(entry.version_id)


def _explained(recorded: set, bucket: str, key: str, version: str | None) -> bool:
    return (bucket, key, version) in recorded or (version is None and any(
        b == bucket and k == key for b, k, _ in recorded))


def _locked_until(client, bucket: str, key: str, version: str | None) -> datetime | None:
    """Until when a version in the object-locked bucket is retained (None: it may go now)."""
    mode, until = storage.retention(client, bucket, key, version)
    return until if mode and until and until > datetime.now(UTC) else None


def _stored_buckets(engine, client, settings: Settings, now: datetime) -> list[Unexplained]:
    with engine.connect() as conn:
        recorded = records.recorded_versions(conn)
        intents = records.intents_by_object(conn)
    found = []
    for bucket in (settings.evidence, settings.derivatives):
        for key, version in _versions(client, bucket):
            latest_intent = intents.get((bucket, key))
            if _explained(recorded, bucket, key, version) or (
                    latest_intent is not None and latest_intent > now - settings.put_grace):
                continue
            locked = _locked_until(client, bucket, key, version) if bucket == settings.evidence else None
            found.append(Unexplained(bucket, key, version, ABANDONED if latest_intent else UNKNOWN, locked))
    return found


def _quarantine(engine, client, settings: Settings, now: datetime) -> list[Unexplained]:
    entries = [e for e in client.list_objects(settings.quarantine, recursive=True)]
    ids = {_upload_id(e.object_name) for e in entries} - {None}
    with engine.connect() as conn:
        known = records.known_among(conn, ids)
    found = []
    for entry in entries:
        age = now - (entry.last_modified or now)
        if _upload_id(entry.object_name) in known and age > settings.put_grace:
            found.append(Unexplained(settings.quarantine, entry.object_name, None, LEFTOVER))
        elif _upload_id(entry.object_name) not in known and age > settings.quarantine_grace:
            found.append(Unexplained(settings.quarantine, entry.object_name, None, UNCLAIMED))
    return found


def _upload_id(object_name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(object_name.rsplit("/", 1)[-1])
    except ValueError:
        return None


def unexplained(engine, client, settings: Settings) -> list[Unexplained]:
    """Every object version in the three buckets that no record explains (and no attempt under
    way may yet explain)."""
    now = datetime.now(UTC)
    return _stored_buckets(engine, client, settings, now) + _quarantine(engine, client, settings, now)


# --- reconciling -------------------------------------------------------------------------


@dataclass
class Reconciled:
    removed: list[Unexplained]
    locked: list[Unexplained]
    left: list[Unexplained]  # not evidence's own, and not asked to remove those


def reconcile(engine, client, settings: Settings, *, everything: bool,
              progress: Callable[[str], None] | None = None) -> Reconciled:
    """Remove what no record explains, where it can. `everything`: also versions no intent of
    evidence's explains (an operator's decision); otherwise only its own failed attempts'."""
    done = Reconciled([], [], [])
    by_object: dict[tuple[str, str], list[Unexplained]] = {}
    for item in unexplained(engine, client, settings):
        if item.bucket == settings.quarantine:
            _remove(client, item, done, progress)
        elif everything or item.why == ABANDONED:
            by_object.setdefault((item.bucket, item.key), []).append(item)
        else:
            done.left.append(item)
    for (bucket, key), versions in by_object.items():
        _reconcile_object(engine, client, settings, bucket, key, versions, done, progress)
    if done.removed or done.locked:
        log_event(log, "evidence.reconciled", removed=len(done.removed), locked=len(done.locked))
    return done


def _reconcile_object(engine, client, settings: Settings, bucket: str, key: str,
                      versions: list[Unexplained], done: Reconciled, progress) -> None:
    """One object's unexplained versions, with its intents held: an attempt under way on it
    (whose intents it holds itself, or which are fresh) is left alone, and one that comes now
    waits, then finds its intents gone and fails."""
    with engine.begin() as conn:
        held, total, latest = records.lock_intents(conn, bucket, key)
        if held < total or (latest is not None and latest > datetime.now(UTC) - settings.put_grace):
            return
        recorded = records.recorded_versions(conn, bucket, key)  # committed since the listing?
        for item in versions:
            if not _explained(recorded, bucket, key, item.version_id):
                _remove(client, item, done, progress)
        if not any(v.bucket == bucket and v.key == key for v in done.locked):
            records.forget_intents(conn, bucket, key)


def _remove(client, item: Unexplained, done: Reconciled, progress) -> None:
    if item.locked_until is not None:
        done.locked.append(item)
        return
    try:
        client.remove_object(item.bucket, item.key, version_id=item.version_id)
    except S3Error as exc:
        if exc.code != "AccessDenied":  # what SeaweedFS answers for a version under retention
            raise
        done.locked.append(item)  # locked after all (the listing saw no lock yet)
        return
    done.removed.append(item)
    if progress:
        progress(str(item))
