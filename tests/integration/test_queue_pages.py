"""The team queue's pages (services/casework/read/queue.py) are slices of one ordering: every
sort, both directions, with and without a filter or a search, paged through to the end, gives the
rows and the total that the plain query (every matching row, sorted) gives; a page past the end
still says how many there are; recusal and BKPPD's view hold on every page."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.projections import catch_up, projections
from services.casework.read import queue
from tests.perf import big_log

KETUA = SimpleNamespace(role="ketua", work_unit=None, user_id=None)
PAGE = 17  # pages that do not divide the total


@pytest.fixture(scope="module")
def listed(casework_db):
    engine, _ = casework_db
    big_log.fill_cases(engine, 90, writers=2)
    for projection in projections(load_calendar()):
        while catch_up(engine, projection, 500):
            pass
    big_log.projected(engine, timeout=5)  # the bench's own wait sees them caught up
    return engine


def plain(conn, order_by: str, where: str = "true", **params) -> list:
    """Every matching case id in the queue's order, sorted by PostgreSQL in one plain query."""
    return list(conn.execute(text(f"SELECT case_id FROM casework.case_list WHERE {where} "  # noqa: S608 (fixed texts)
                                  f"ORDER BY {order_by}, case_id"), params).scalars())


def paged(conn, member, **asked) -> tuple[list, set]:
    ids, totals, offset = [], set(), 0
    while True:
        page = queue.work_queue(conn, member, queue.QueueFilter(limit=PAGE, offset=offset, **asked))
        totals.add(page["total"])
        if not page["items"]:
            return ids, totals
        assert set(page["items"][0]) == {c.name for c in queue.LIST_COLUMNS}
        ids += [item["case_id"] for item in page["items"]]
        offset += PAGE


@pytest.mark.parametrize("sort", sorted(queue.SORTS))
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("status", [None, "opened"])
def test_each_sort_pages_through_the_same_order_as_one_plain_query(listed, sort, descending, status):
    with listed.connect() as conn:
        expected = plain(conn, f"{sort} {'DESC' if descending else 'ASC'} NULLS LAST",
                         "status = :status" if status else "true", status=status)
        ids, totals = paged(conn, KETUA, sort=sort, descending=descending, status=status)
    assert expected and ids == expected and totals == {len(expected)}


def test_a_search_by_relevance_ranks_every_match_and_counts_them(listed):
    with listed.connect() as conn:
        expected = plain(conn, "ts_rank(search, websearch_to_tsquery('indonesian', 'kampanye')) DESC, "
                               "opened_at DESC NULLS LAST",
                         "search @@ websearch_to_tsquery('indonesian', 'kampanye')")
        ids, totals = paged(conn, KETUA, q="kampanye", sort="relevance")
        one = queue.work_queue(conn, KETUA, queue.QueueFilter(q="NTR-2026-B000007", sort="relevance"))
        none = queue.work_queue(conn, KETUA, queue.QueueFilter(q="tidakadasamasekali", sort="relevance"))
    assert len(expected) >= 90 and ids == expected and totals == {len(expected)}
    assert [i["case_number"] for i in one["items"]] == ["NTR-2026-B000007"] and one["total"] == 1
    assert none == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_a_page_past_the_end_still_says_how_many_there_are(listed):
    with listed.connect() as conn:
        everything = conn.execute(text("SELECT count(*) FROM casework.case_list")).scalar_one()
        for asked in ({}, {"q": "kampanye", "sort": "relevance"}):
            page = queue.work_queue(conn, KETUA, queue.QueueFilter(offset=everything + 5, **asked))
            assert page["items"] == [] and page["total"] == everything


def test_recusal_and_bkppd_hold_on_every_page(listed):
    recused = SimpleNamespace(role="anggota", work_unit="  bappeda ", user_id=None)
    bkppd = SimpleNamespace(role="bkppd", work_unit=None, user_id=None)
    with listed.connect() as conn:
        expected = plain(conn, "due_at DESC NULLS LAST", "coalesce(work_unit, '') <> 'Bappeda'")
        ids, totals = paged(conn, recused, sort="due_at")
        forwarded, bkppd_totals = paged(conn, bkppd, q="kampanye", sort="relevance")
    assert expected and ids == expected and totals == {len(expected)}
    assert forwarded == [] and bkppd_totals == {0}  # the bench's cases were never forwarded


FILTERS = [({"platform": "tiktok"}, "platform = :v", "tiktok"),
           ({"platform": "facebook"}, "platform = :v", "facebook"),
           ({"kecamatan": "Rupat"}, "kecamatan = :v", "Rupat"),
           ({"kecamatan": "Mandau"}, "kecamatan = :v", "Mandau"),
           ({"violation_type": "share"}, ":v = ANY(violation_types)", "share"),
           ({"violation_type": "post_support"}, ":v = ANY(violation_types)", "post_support"),
           ({"work_unit": "PENDIDIKAN"}, "lower(work_unit) LIKE '%' || :v || '%'", "pendidikan"),
           ({"work_unit": "bapp"}, "lower(work_unit) LIKE '%' || :v || '%'", "bapp"),
           ({"assignee_id": uuid.UUID(big_log.ANGGOTA["id"])}, "assignee_id = :v", uuid.UUID(big_log.ANGGOTA["id"])),
           ({"overdue": False}, "overdue IS false", None),
           ({"q": "B000007"}, "search @@ websearch_to_tsquery('indonesian', :v) OR case_number = upper(:v)", "B000007"),
           ({"q": "NTR-2026-B000011"}, "search @@ websearch_to_tsquery('indonesian', :v) OR case_number = :v",
            "NTR-2026-B000011")]


@pytest.mark.parametrize("sort", ["due_at", "case_number"])
def test_each_filter_gives_what_one_plain_query_gives_whatever_was_asked_before(listed, sort):
    """The queue's statement is made once per shape and read with its values bound (decision 0040):
    two asks of one shape with other values (each filter's pairs above, asked in turn on one
    connection) each get their own cases, as one plain query finds them."""
    with listed.connect() as conn:
        for asked, where, value in FILTERS:
            expected = plain(conn, f"{sort} DESC NULLS LAST", where, v=value)
            ids, totals = paged(conn, KETUA, sort=sort, **asked)
            assert expected and ids == expected and totals == {len(expected)}, asked
        all_filters = {"platform": "tiktok", "kecamatan": "Rupat", "violation_type": "share", "overdue": False}
        combined = plain(conn, f"{sort} DESC NULLS LAST", "platform = 'tiktok' AND kecamatan = 'Rupat' "
                         "AND 'share' = ANY(violation_types) AND overdue IS false")
        ids, totals = paged(conn, KETUA, sort=sort, **all_filters)
    assert combined and ids == combined and totals == {len(combined)}


def test_two_recused_members_one_after_the_other_each_miss_only_their_own_unit(listed):
    first = SimpleNamespace(role="anggota", work_unit="Bappeda", user_id=None)
    second = SimpleNamespace(role="sekretaris", work_unit="Dinas  Pendidikan", user_id=None)
    with listed.connect() as conn:
        for member, unit in ((first, "bappeda"), (second, "dinas pendidikan"), (first, "bappeda")):
            expected = plain(conn, "opened_at DESC NULLS LAST", "lower(coalesce(work_unit, '')) <> :unit", unit=unit)
            ids, totals = paged(conn, member)
            assert expected and ids == expected and totals == {len(expected)}, unit
