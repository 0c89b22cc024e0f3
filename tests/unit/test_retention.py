"""Retention (issue 18): the schedule by outcome, the legal hold, what a purge leaves of each event,
and the hash scheme that lets verify-log check a purged log (docs/decisions/0031, 0032)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from services.casework.adapters import event_store
from services.casework.adapters.retention_schedule import load_schedule
from services.casework.domain import events as ev
from services.casework.domain import retention
from services.casework.domain.case import Case
from services.casework.domain.errors import TransitionNotAllowed
from services.casework.domain.rules import HoldNotPossible, InvalidCommand
from services.casework.usecases.integration import retention_events

KETUA = {"id": "k1", "role": "ketua", "work_unit": None}
ANGGOTA = {"id": "a1", "role": "anggota", "work_unit": None}
ANGGOTA_2 = {"id": "a2", "role": "anggota", "work_unit": None}
BKPPD = {"id": "b1", "role": "bkppd", "work_unit": None}
T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
SCHEDULE = load_schedule()


def opened(n: int = 1) -> Case:
    return Case.open(str(uuid.uuid4()), ev.CaseOpened(
        case_number=f"NTR-2026-{n:05d}", source="public", complaint_id=str(uuid.uuid4()), opened_at=T0.isoformat(),
        reported={"name": "Budi Santoso", "nip": "198703152010011002", "position": "Guru",
                  "work_unit": "Dinas Pendidikan", "kecamatan": "Bengkalis"},
        platform="facebook", post_urls=["https://www.facebook.com/budi.santoso/posts/1"],
        account_handle="budi.santoso", occurred_at=T0.isoformat(), violation_types=["share"],
        description="Budi membagikan unggahan kampanye.",
        reporter={"anonymous": False, "identity_sealed": True, "contact_consent": True}), at=T0)


def dismissed(at: datetime = T0) -> Case:
    case = opened()
    case.assign(KETUA, assignee_id="a1", assignee_name="Anggota", at=at)
    case.dismiss(ANGGOTA, "not_political", note="Bukan kampanye, kata Budi.", at=at)
    return case


def sanctioned(sanction_type: str, at: datetime = T0) -> Case:
    case = opened()
    case.assign(KETUA, assignee_id="a1", assignee_name="Anggota", at=at)
    case.start_verification(ANGGOTA, at=at)
    case.propose_violation(ANGGOTA, "Budi membagikan.", "PP 94/2021", "ringan", at=at)
    case.confirm_violation(ANGGOTA_2, at=at)
    case.forward_to_bkppd(KETUA, at=at)
    case.record_sanction(BKPPD, sanction_type, "800/12/BKPPD", "2026-03-01", at=at)
    return case


def test_the_shipped_schedule_names_every_outcome_with_a_reason():
    assert set(SCHEDULE.periods) == set(retention.OUTCOMES)
    assert all(p.reason and p.years >= 1 for p in SCHEDULE.periods.values())
    assert SCHEDULE.shortest_years == 2


def test_a_schedule_missing_an_outcome_or_a_reason_is_refused():
    data = {"periods": {o: {"years": 2, "reason": "x"} for o in retention.OUTCOMES}}
    retention.Schedule.from_data(data)
    with pytest.raises(ValueError, match="dismissed"):
        retention.Schedule.from_data({"periods": {k: v for k, v in data["periods"].items() if k != "dismissed"}})
    with pytest.raises(ValueError, match="reason"):
        retention.Schedule.from_data({"periods": {**data["periods"], "dismissed": {"years": 2}}})


@pytest.mark.parametrize(("sanction_type", "outcome"), [
    ("tidak_dijatuhi_sanksi", "violation_no_sanction"), ("pernyataan_terbuka", "sanction_etik"),
    ("teguran_lisan", "sanction_ringan"), ("potong_tukin_9", "sanction_sedang"), ("pemberhentian", "sanction_berat")])
def test_the_period_follows_the_outcome_from_the_final_decision(sanction_type, outcome):
    case = sanctioned(sanction_type)
    assert case.outcome == outcome
    assert case.keep_until(SCHEDULE) == retention.add_years(T0, SCHEDULE.periods[outcome].years)


def test_a_case_still_worked_or_reopened_has_no_period_and_never_goes():
    case = opened()
    assert case.keep_until(SCHEDULE) is None and not case.due_for_purge(SCHEDULE, T0 + timedelta(days=9999))
    case = dismissed()
    assert case.keep_until(SCHEDULE) == datetime(2028, 3, 2, 3, 0, tzinfo=UTC)
    case.reopen(KETUA, "Ada bukti baru dari pelapor.", at=T0 + timedelta(days=10))
    assert case.outcome is None and not case.due_for_purge(SCHEDULE, T0 + timedelta(days=9999))


def test_only_a_case_past_its_period_and_off_hold_goes():
    case = dismissed()
    until = case.keep_until(SCHEDULE)
    assert until is not None
    assert not case.due_for_purge(SCHEDULE, until - timedelta(seconds=1))
    assert case.due_for_purge(SCHEDULE, until)
    case.place_legal_hold(KETUA, "court", "Surat PN Bengkalis 12/2027", at=until - timedelta(days=1))
    assert not case.due_for_purge(SCHEDULE, until + timedelta(days=400))
    lifted = until + timedelta(days=400)
    case.lift_legal_hold(KETUA, "Perkara selesai.", at=lifted)
    assert case.keep_until(SCHEDULE) == lifted + timedelta(days=SCHEDULE.after_hold_days)
    assert not case.due_for_purge(SCHEDULE, lifted + timedelta(days=SCHEDULE.after_hold_days - 1))
    assert case.due_for_purge(SCHEDULE, lifted + timedelta(days=SCHEDULE.after_hold_days))


def test_only_the_ketua_holds_with_a_listed_reason_and_only_what_can_be_held():
    case = dismissed()
    with pytest.raises(InvalidCommand):
        case.place_legal_hold(KETUA, "because", "Surat 1", at=T0)
    with pytest.raises(HoldNotPossible):
        case.lift_legal_hold(KETUA, "Tidak ada.", at=T0)
    case.place_legal_hold(KETUA, "appeal", "Banding administratif 3/2026", at=T0)
    with pytest.raises(HoldNotPossible):
        case.place_legal_hold(KETUA, "court", "Surat 2", at=T0)
    assert [type(e).__name__ for e in case.new_events][-1] == "LegalHoldPlaced"


def test_holds_and_decisions_tell_evidence_how_long_to_keep():
    case = sanctioned("teguran_lisan")
    recorded = case.collect_events()
    [(kind, payload)] = retention_events(case, recorded, SCHEDULE)
    assert kind == "case_retention_changed"
    assert payload["reason"] == "outcome" and payload["on_hold"] is False
    assert payload["keep_until"] == retention.add_years(T0, 5).isoformat()
    case.place_legal_hold(KETUA, "appeal", "Banding 1/2026", at=T0)
    [(_, held)] = retention_events(case, case.collect_events(), SCHEDULE)
    assert held["reason"] == "legal_hold" and held["on_hold"] is True
    assert retention_events(case, [], SCHEDULE) == []


def test_a_purge_before_the_period_ends_is_refused():
    case = dismissed()
    with pytest.raises(TransitionNotAllowed):
        case.purge(SCHEDULE, [], at=T0 + timedelta(days=30))


def test_a_purge_leaves_what_statistics_count_and_no_personal_words():
    case = sanctioned("teguran_tertulis")
    data = case.opened_with.to_data()
    left = retention.redacted("case_opened", data)
    assert left["reported"] == {"name": "", "nip": None, "position": None, "work_unit": "Dinas Pendidikan",
                                "kecamatan": "Bengkalis"}
    assert (left["post_urls"], left["account_handle"], left["description"]) == ([], None, "")
    for kept in ("case_number", "platform", "violation_types", "opened_at", "occurred_at", "source", "complaint_id"):
        assert left[kept] == data[kept]
    decided = retention.redacted("sanction_decided", case.sanction.to_data())
    assert decided["sanction_type"] == "teguran_tertulis" and decided["decree_number"] == ""
    # The replayed case after a purge says what the emptied events say.
    later = case.keep_until(SCHEDULE) + timedelta(days=1)
    case.purge(SCHEDULE, [], at=later)
    assert "Budi" not in repr(case.facts) + repr(case.finding) + repr(case.sanction)
    assert case.opened_with.reported["work_unit"] == "Dinas Pendidikan" and case.status == "closed"


# --- the hash scheme ---------------------------------------------------------------------------


def _rows(case: Case) -> list[SimpleNamespace]:
    """The case's events as event_store.append stores them (scheme 2), as rows verify-log reads."""
    rows, prev = [], None
    for version, recorded in enumerate(case.collect_events(), 1):
        salt = event_store.new_salt()
        fields = {"stream_id": uuid.UUID(case.case_id), "version": version, "event_id": uuid.uuid4(),
                  "event_type": recorded.event.type, "class_version": 1, "data": recorded.event.to_data(),
                  "metadata": {}, "recorded_at": recorded.at, "prev_hash": prev, "hash_scheme": 2,
                  "data_digest": event_store.data_digest(recorded.event.to_data(), salt)}
        fields["hash"] = event_store.event_hash(**fields)
        rows.append(SimpleNamespace(**fields, data_salt=salt, purged_by=None))
        prev = fields["hash"]
    return rows


def _purged(rows: list[SimpleNamespace], record_id: uuid.UUID) -> list[SimpleNamespace]:
    """The rows as a purge leaves them, and its record appended after them."""
    out, named = [], []
    for row in rows:
        left = retention.redacted(row.event_type, row.data)
        if left != row.data:
            named.append({"version": row.version, "event_id": str(row.event_id), "hash": row.hash,
                          "kept_digest": event_store.kept_digest(left)})
            row = SimpleNamespace(**{**vars(row), "data": left, "data_salt": None, "purged_by": record_id})
        out.append(row)
    data = {"actor": {}, "purged_at": "x", "outcome": "dismissed", "decided_at": "x", "keep_until": "x",
            "events": named}
    salt = event_store.new_salt()
    fields = {"stream_id": rows[0].stream_id, "version": len(rows) + 1, "event_id": record_id,
              "event_type": "case_purged", "class_version": 1, "data": data, "metadata": {},
              "recorded_at": T0, "prev_hash": rows[-1].hash, "hash_scheme": 2,
              "data_digest": event_store.data_digest(data, salt)}
    fields["hash"] = event_store.event_hash(**fields)
    return [*out, SimpleNamespace(**fields, data_salt=salt, purged_by=None)]


def as_checked(row) -> tuple:
    """A row as verify-log reads it (event_store._CHECKED), for `_content_matches`."""
    return (1, str(row.stream_id), row.version, str(row.event_id), row.event_type, row.class_version, "",
            row.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"), row.prev_hash, row.hash,
            row.hash_scheme, row.data_digest, row.data_salt, row.purged_by is not None)


def check(rows) -> list[str]:
    """What verify-log says of these rows' own content and of their purge (the chains aside)."""
    problems, named = [], {}
    for row in rows:
        if row.event_type == "case_purged":
            named.update({(e["version"], row.event_id): e for e in row.data["events"]})
    for row in rows:
        if not event_store._content_matches(as_checked(row), row.data, row.metadata):
            problems.append(f"{row.version}: content changed")
        if row.purged_by is not None:
            wrong = event_store.purge_problem(row.data, row.hash, named.get((row.version, row.purged_by)))
            if wrong:
                problems.append(f"{row.version}: {wrong}")
    return problems


def replace_row(row, **changes):
    return SimpleNamespace(**{**vars(row), **changes})


def test_a_scheme_2_hash_covers_the_salted_digest_not_the_data():
    rows = _rows(dismissed())
    assert check(rows) == []
    changed = [*rows[:1], replace_row(rows[1], data={**rows[1].data, "assignee_name": "Orang lain"}), *rows[2:]]
    assert any("content changed" in p for p in check(changed))
    # The same event hashed under scheme 1 gives another hash: old events keep theirs.
    first = vars(rows[0])
    v1 = event_store.event_hash(**{k: first[k] for k in ("stream_id", "version", "event_id", "event_type", "data",
                                                         "metadata", "recorded_at", "prev_hash")})
    assert v1 != rows[0].hash


def test_verify_log_passes_after_a_purge_and_catches_what_a_purge_cannot_explain():
    rows = _purged(_rows(dismissed()), uuid.uuid4())
    assert check(rows) == []
    assert all("Budi" not in repr(r.data) for r in rows)
    emptied = next(r for r in rows if r.purged_by is not None)
    at = rows.index(emptied)
    # What the purge left was changed afterwards (a work unit, say): its record's digest says so.
    tampered = replace_row(emptied, data={**emptied.data, "platform": "tiktok"})
    assert any("what the purge left" in p for p in check([*rows[:at], tampered, *rows[at + 1:]]))
    # An event marked purged that no purge record names: content removed behind the log's back.
    stray = replace_row(rows[1], purged_by=uuid.uuid4(), data={})
    assert any("no purge record" in p for p in check([rows[0], stray, *rows[2:]]))
    # An unpurged scheme-2 event whose data no longer gives its digest.
    changed = replace_row(rows[1], data={**rows[1].data, "assignee_name": "X"})
    assert any("content changed" in p for p in check([rows[0], changed, *rows[2:]]))


def test_a_purged_scheme_1_event_is_vouched_for_by_its_purge_record():
    rows = _rows(dismissed())
    old = vars(rows[0])
    v1 = {k: old[k] for k in ("stream_id", "version", "event_id", "event_type", "data", "metadata",
                              "recorded_at", "prev_hash")}
    first = SimpleNamespace(**v1, class_version=1, hash=event_store.event_hash(**v1), hash_scheme=1,
                            data_digest=None, data_salt=None, purged_by=None)
    rechained = [first]
    for row in rows[1:]:
        fields = {**vars(row), "prev_hash": rechained[-1].hash}
        fields["hash"] = event_store.event_hash(**{k: v for k, v in fields.items()
                                                   if k not in ("hash", "data_salt", "purged_by")})
        rechained.append(SimpleNamespace(**fields))
    assert check(rechained) == []
    purged = _purged(rechained, uuid.uuid4())
    assert purged[0].purged_by is not None and check(purged) == []
    # Its stored hash is what the record names: a record naming another hash is caught.
    record = purged[-1]
    forged = replace_row(record, data={**record.data, "events": [
        {**record.data["events"][0], "hash": "0" * 64}, *record.data["events"][1:]]})
    assert any("what the purge left" in p for p in check([*purged[:-1], forged]))
