"""Cases with near-identical screenshots, linked when read (decision 0035): on real PostgreSQL,
`links_of` gives every viewer what the stored pairs gave (the same cases, the same detail: the
first near pair in log order), hides the cases a viewer may not see, stores no pair, and a
rebuild's in-memory replay gives the tables kept live."""

from __future__ import annotations

import os
import random
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from netra_stack import database
from sqlalchemy import create_engine, select

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, near_duplicate
from netra_common.migrate import upgrade
from services.casework.adapters import event_store
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.case_repository import encode
from services.casework.adapters.projections import catch_up, projections
from services.casework.adapters.tables import case_links
from services.casework.domain import events as ev
from services.casework.domain.case import Case
from services.casework.read import queue
from tests.integration.test_retention_purge import rebuilt_equal_live

PG = os.environ.get("NETRA_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
AT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
KETUA = SimpleNamespace(role="ketua", work_unit=None)
BAPPEDA = SimpleNamespace(role="anggota", work_unit=" bappeda ")  # recused from Bappeda's cases
BKPPD = SimpleNamespace(role="bkppd", work_unit=None)  # sees forwarded cases only: none here
BASE = "c517fae8b2635581"


@pytest.fixture(scope="module")
def db():
    name = f"netra_shots_{uuid.uuid4().hex[:8]}"
    database.ensure_database(PG, name)
    url = f"{PG}/{name}"
    upgrade("casework", url)
    engine = create_engine(url, pool_size=3, max_overflow=2)
    yield engine
    engine.dispose()
    database.drop_database(PG, name)


def flipped(phash: str, bits) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


class Log:
    """Cases written to the log one append at a time, with every screenshot in the order written."""

    def __init__(self, engine, numbered_from: int):
        self.engine, self.cases, self.shots, self.n = engine, {}, [], numbered_from

    def open(self, work_unit: str | None) -> uuid.UUID:
        self.n += 1
        case = Case.open(str(uuid.uuid4()), ev.CaseOpened(
            case_number=f"NTR-2026-{self.n:05d}", source="team", complaint_id=None,
            opened_at=AT.isoformat(), reported={"name": f"ASN {self.n}", "nip": None, "work_unit": work_unit},
            platform="facebook", post_urls=[], account_handle=None, occurred_at=AT.isoformat(),
            violation_types=["share"], description="Membagikan unggahan kampanye.",
            reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False}), at=AT)
        return self._save(case, 0)

    def shot(self, case_id: uuid.UUID, phash: str, evidence_id: uuid.UUID | None = None) -> uuid.UUID:
        case, version = self.cases[case_id]
        evidence_id = evidence_id or uuid.uuid4()
        case.attach_evidence(ev.EvidenceAttached(
            evidence_id=str(evidence_id), upload_id=str(uuid.uuid4()), sha256="ab" * 32, size=10,
            content_type="image/png", received_at=AT.isoformat(), perceptual_hash=phash),
            at=AT + timedelta(minutes=len(self.shots)))
        self._save(case, version)
        self.shots.append((evidence_id, case_id, phash))
        return evidence_id

    def _save(self, case: Case, version: int) -> uuid.UUID:
        case_id = uuid.UUID(case.case_id)
        with self.engine.begin() as conn:
            stored = event_store.append(conn, case_id, version, [encode(r, {}) for r in case.collect_events()],
                                        head_hash=event_store.UNREAD if version else None)
        self.cases[case_id] = (case, version + len(stored))
        return case_id

    def pairs_as_stored_before(self) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
        """The links the projection stored before decision 0035's read-time screenshots: each new
        screenshot against every earlier one, by evidence id, the first link of two cases kept."""
        links: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
        for n, (evidence, case_id, phash) in enumerate(self.shots):
            for other, other_case, other_hash in sorted(self.shots[:n]):
                if other_case != case_id and near_duplicate(phash, other_hash):
                    links.setdefault((case_id, other_case), f"{evidence}~{other}")
                    links.setdefault((other_case, case_id), f"{evidence}~{other}")
        return links


def project(engine) -> None:
    for projection in projections(load_calendar()):
        while catch_up(engine, projection):
            pass


def similar(engine, case_id: uuid.UUID, member) -> dict[uuid.UUID, str]:
    with engine.connect() as conn:
        return {link["case_id"]: link["detail"] for link in queue.links_of(conn, case_id, member)
                if link["reason"] == "similar_screenshot"}


def test_near_screenshots_are_linked_when_read_as_the_stored_pairs_were_and_only_where_visible(db):
    log = Log(db, 0)
    bappeda, dinas, other, later = (log.open("Bappeda"), log.open("Dinas Pendidikan"), log.open(None),
                                    log.open("Bappeda"))
    first = log.shot(bappeda, BASE)
    at_edge = log.shot(dinas, flipped(BASE, range(NEAR_DUPLICATE_DISTANCE)))  # 12 bits: near
    also = log.shot(dinas, BASE)  # near too, but later: the first pair names the link
    log.shot(other, flipped(BASE, range(50, 50 + NEAR_DUPLICATE_DISTANCE + 1)))  # 13 bits: not near
    # Two earlier screenshots of one case near a later one: the one with the least id is named.
    least = log.shot(bappeda, BASE, evidence_id=uuid.UUID(int=1))
    newest = log.shot(later, BASE)
    project(db)

    assert similar(db, bappeda, KETUA) == {dinas: f"{at_edge}~{first}", later: f"{newest}~{least}"}
    assert similar(db, dinas, KETUA) == {bappeda: f"{at_edge}~{first}", later: f"{newest}~{min(at_edge, also)}"}
    assert similar(db, other, KETUA) == {}
    # A member recused from Bappeda sees no link to its cases, and a link from them to others.
    assert similar(db, dinas, BAPPEDA) == {}
    assert similar(db, bappeda, BAPPEDA) == {dinas: f"{at_edge}~{first}"}
    assert similar(db, bappeda, BKPPD) == {}
    with db.connect() as conn:
        assert not conn.execute(select(case_links).where(case_links.c.reason == "similar_screenshot")).all()
        words = [link["why"] for link in queue.links_of(conn, dinas, KETUA)]
    assert words == ["Tangkapan layar yang hampir sama dengan salah satu bukti kasus NTR-2026-00001",
                     "Tangkapan layar yang hampir sama dengan salah satu bukti kasus NTR-2026-00004"]


def test_links_read_equal_the_pairs_the_projection_stored_and_a_rebuild_equals_live(db):
    """Many screenshots near a few posts, arriving in a shuffled order, in cases of several work
    units: each case's links as the old projection stored them, for each viewer."""
    rng, log = random.Random(35), Log(db, 100)
    cases = [log.open(rng.choice(["Bappeda", "Dinas Pendidikan", None])) for _ in range(40)]
    posts = [f"{rng.getrandbits(64):016x}" for _ in range(4)]
    for _ in range(120):
        post = rng.choice(posts)
        phash = flipped(post, rng.sample(range(64), rng.randrange(0, 9))) if rng.random() < 0.8 \
            else f"{rng.getrandbits(64):016x}"
        log.shot(rng.choice(cases), phash)
        if rng.random() < 0.1:  # the live projection keeps up as screenshots arrive
            project(db)
    project(db)
    stored = log.pairs_as_stored_before()
    assert len(stored) > 100
    with db.connect() as conn:
        work_unit = {r.case_id: r.work_unit for r in conn.execute(select(queue.case_list))}
    for case_id in log.cases:
        expected = {other: detail for (one, other), detail in stored.items() if one == case_id}
        assert similar(db, case_id, KETUA) == expected
        assert similar(db, case_id, BAPPEDA) == {o: d for o, d in expected.items() if work_unit[o] != "Bappeda"}

    rebuilt_equal_live(db)
