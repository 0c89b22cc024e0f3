"""The team's read queries on the work queue's read model (case_list): the queue with its filters
and search, and the links between cases, each limited to what the member may see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import UUID, distinct_on
from sqlalchemy.types import NullType

from services.casework.adapters.tables import (
    case_link_keys,
    case_links,
    case_list,
    case_screenshot_near,
    case_screenshots,
)

LIST_COLUMNS = (case_list.c.case_id, case_list.c.case_number, case_list.c.status, case_list.c.source,
                case_list.c.platform, case_list.c.violation_types, case_list.c.reported_name,
                case_list.c.reported_nip, case_list.c.work_unit, case_list.c.kecamatan,
                case_list.c.assignee_id, case_list.c.assignee_name, case_list.c.evidence_count,
                case_list.c.opened_at, case_list.c.updated_at, case_list.c.due_at, case_list.c.overdue,
                case_list.c.version)
# The page's columns, read from the table a second time (by case_id) once the page is chosen.
LISTED = case_list.alias("listed")
LISTED_COLUMNS = tuple(LISTED.c[c.name] for c in LIST_COLUMNS)
LIST_NAMES = tuple(c.name for c in LIST_COLUMNS)
SORTS = {"opened_at": case_list.c.opened_at, "updated_at": case_list.c.updated_at,
         "due_at": case_list.c.due_at, "case_number": case_list.c.case_number,
         "status": case_list.c.status}


def _normal_sql(column):
    return func.regexp_replace(func.lower(func.trim(func.coalesce(column, ""))), r"\s+", " ", "g")


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    assignee_id: uuid.UUID | None = None
    platform: str | None = None
    violation_type: str | None = None
    work_unit: str | None = None
    kecamatan: str | None = None
    overdue: bool | None = None
    q: str | None = None
    sort: str = "opened_at"
    descending: bool = True
    limit: int = 50
    offset: int = 0


def _recused_unit(member) -> str | None:
    """The work unit whose cases a member does not see, as `_normal_sql` writes the cases' (recusal)."""
    return " ".join(member.work_unit.split()).casefold() if member.work_unit else None


def _visibility(bkppd: bool, recused_unit) -> list:
    """The conditions of what a member may see: BKPPD only forwarded cases; nobody the cases of
    their own work unit. `recused_unit` is the unit's text, a bound parameter, or None."""
    conditions = [case_list.c.ever_forwarded.is_(True)] if bkppd else []
    if recused_unit is not None:
        conditions.append(_normal_sql(case_list.c.work_unit) != recused_unit)
    return conditions


def visible_to(member):
    """What a member may see of the queue (`_visibility`), the member's values in the statement."""
    return and_(True, *_visibility(member.role == "bkppd", _recused_unit(member)))


# The filters that compare a column with the value asked, by the name of their bound value.
_EQUALS = {"status": case_list.c.status, "assignee_id": case_list.c.assignee_id,
           "platform": case_list.c.platform, "kecamatan": case_list.c.kecamatan}


class _Shape(NamedTuple):
    """What a queue statement's SQL depends on: who looks (BKPPD, a work unit to recuse), which
    filters are given (not their values, which are bound), the search, the sort and the direction.
    The same shape is the same statement: made once (`_statements`), its values bound at each read."""
    bkppd: bool
    recusing: bool
    equals: tuple[str, ...]
    violation_type: bool
    work_unit: bool
    overdue: bool | None
    searched: bool
    ranked: bool
    sort: str
    descending: bool


def _shape(member, f: QueueFilter) -> tuple[_Shape, dict]:
    """The statement's shape and the values it is read with."""
    values: dict = {"limit": f.limit, "offset": f.offset}
    if (recused := _recused_unit(member)) is not None:
        values["recused_unit"] = recused
    equals = tuple(name for name in _EQUALS if getattr(f, name) is not None)
    values.update((name, getattr(f, name)) for name in equals)
    if f.violation_type:
        values["violation_type"] = f.violation_type
    if f.work_unit:
        values["work_unit_part"] = f.work_unit.lower()
    if f.q:
        values["q"], values["case_number"] = f.q, f.q.strip().upper()
    return _Shape(bkppd=member.role == "bkppd", recusing=recused is not None, equals=equals,
                  violation_type=bool(f.violation_type), work_unit=bool(f.work_unit), overdue=f.overdue,
                  searched=bool(f.q), ranked=bool(f.q) and f.sort == "relevance",
                  sort=f.sort if f.sort in SORTS else "opened_at", descending=f.descending), values


# The page's columns, with the array of violation types as psycopg2 gives it (a list of str):
# SQLAlchemy's ARRAY would copy every list item by item on the way out, for nothing.
_AS_GIVEN = NullType()
_PAGE_COLUMNS = tuple(type_coerce(c, _AS_GIVEN).label(c.name) if c.name == "violation_types" else c
                      for c in LISTED_COLUMNS)


@lru_cache(maxsize=256)
def _statements(shape: _Shape):
    """The page with its total, and the total alone (for a page past the end), for one shape.

    Made once per shape: building and keying a statement of this size cost more of a queue read's
    CPU in casework than reading its rows (issue 14). The page is chosen on narrow rows (the case's
    id and its sort keys), then its columns are read for those rows alone: sorting the whole width
    of every matching row cost most of a search at 10k cases. A search by relevance ranks each
    match once, in a materialized CTE that the count reads too; otherwise the count is a subquery
    of the same statement, on the indexes (migration casework 0021 orders the queue by status and
    due date, and by opening time)."""
    conditions = _visibility(shape.bkppd, bindparam("recused_unit") if shape.recusing else None)
    conditions += [_EQUALS[name] == bindparam(name) for name in shape.equals]
    if shape.violation_type:
        conditions.append(bindparam("violation_type") == any_(case_list.c.violation_types))
    if shape.work_unit:
        conditions.append(func.lower(case_list.c.work_unit).contains(bindparam("work_unit_part")))
    if shape.overdue is not None:
        conditions.append(case_list.c.overdue.is_(shape.overdue))
    keys = [SORTS[shape.sort].label("key")]
    if shape.searched:
        query = func.websearch_to_tsquery("indonesian", bindparam("q"))
        conditions.append(or_(case_list.c.search.op("@@")(query), case_list.c.case_number == bindparam("case_number")))
        if shape.ranked:
            keys.insert(0, func.ts_rank(case_list.c.search, query).label("rank"))
    where = and_(True, *conditions)
    matched = select(case_list.c.case_id, *keys).where(where)
    counted_alone = select(func.count()).select_from(case_list).where(where)
    if shape.ranked:  # every match is ranked anyway: once, and counted from the same rows
        source = matched.cte("matched").prefix_with("MATERIALIZED")
        counted = select(func.count()).select_from(source)
    else:
        source = matched.subquery("matched")
        counted = counted_alone

    def ordering(row):
        key = row.c.key.desc().nulls_last() if shape.descending else row.c.key.asc().nulls_last()
        return [*([row.c.rank.desc()] if shape.ranked else []), key, row.c.case_id]

    page = (select(source).order_by(*ordering(source)).limit(bindparam("limit", type_=Integer))
            .offset(bindparam("offset", type_=Integer)).subquery("page"))
    with_total = (select(*_PAGE_COLUMNS, counted.correlate(None).scalar_subquery().label("total"))
                  .join_from(page, LISTED, LISTED.c.case_id == page.c.case_id)
                  .order_by(*ordering(page)))
    return with_total, counted_alone


def work_queue(conn, member, f: QueueFilter) -> dict:
    """A page of the queue and how many cases match, in one statement (decision 0026, queue-speed;
    its statement made once per shape, decision 0040)."""
    shape, values = _shape(member, f)
    with_total, counted_alone = _statements(shape)
    rows = conn.execute(with_total, values).all()
    if rows:
        total = rows[0][-1]
    elif f.offset:  # a page past the end: how many there are all the same
        total = conn.execute(counted_alone, values).scalar_one()
    else:
        total = 0
    items = [dict(zip(LIST_NAMES, row[:-1], strict=True)) for row in rows]
    return {"items": items, "total": total, "limit": f.limit, "offset": f.offset}


class _Viewer(NamedTuple):
    """What `visible_to` reads of a member: the links' statement is made once per pair of them."""
    role: str
    work_unit: str | None


_CASE_ID = bindparam("case_id", type_=UUID(as_uuid=True))


def _linked_by_key(viewer: _Viewer):
    """The cases that share a key with this one: the same ASN's NIP or the same post's normalised
    URL, found from case_link_keys when read (one row per case and key, never a row per pair:
    decision 0035). This case's keys by the index on case_id, the others by the primary key
    (kind, key, case_id). Two cases sharing several posts are one link, its detail the first URL."""
    mine, theirs = case_link_keys.alias("mine"), case_link_keys.alias("theirs")
    return (select(theirs.c.case_id.label("linked_case_id"),
                   case((mine.c.kind == "nip", literal("same_asn")), else_=literal("same_post")).label("reason"),
                   func.min(mine.c.key).label("detail"), case_list.c.case_number, case_list.c.status)
            .join_from(mine, theirs, and_(theirs.c.kind == mine.c.kind, theirs.c.key == mine.c.key,
                                          theirs.c.case_id != mine.c.case_id))
            .join(case_list, case_list.c.case_id == theirs.c.case_id)
            .where(mine.c.case_id == _CASE_ID, mine.c.kind.in_(("nip", "post")), visible_to(viewer))
            .group_by(theirs.c.case_id, mine.c.kind, case_list.c.case_number, case_list.c.status))


def _linked_by_screenshot(viewer: _Viewer):
    """The cases with a screenshot near one of this case's (`near_duplicate`), found when read from
    case_screenshots (one row per screenshot, never a row per pair: decision 0035): the ones with
    the same hash, and through case_screenshot_near the ones with a hash near it, each by the index
    on the hash. Each such case once, its detail the pair that linked them first in the log: the
    later screenshot of the earliest near pair, then the earlier one with the least id
    ("later~earlier"), as the links stored before were made."""
    mine, near, theirs = case_screenshots.alias("my_shot"), case_screenshot_near, case_screenshots.alias("their_shot")
    reach = union_all(
        select(mine.c.evidence_id, mine.c.global_position, mine.c.perceptual_hash.label("hash"))
        .where(mine.c.case_id == _CASE_ID),
        select(mine.c.evidence_id, mine.c.global_position, near.c.near_hash.label("hash"))
        .join(near, near.c.perceptual_hash == mine.c.perceptual_hash).where(mine.c.case_id == _CASE_ID),
    ).subquery("reach")
    mine_later = reach.c.global_position > theirs.c.global_position
    later = case((mine_later, reach.c.evidence_id), else_=theirs.c.evidence_id)
    earlier = case((mine_later, theirs.c.evidence_id), else_=reach.c.evidence_id)
    return (select(theirs.c.case_id.label("linked_case_id"), literal("similar_screenshot").label("reason"),
                   (cast(later, Text) + "~" + cast(earlier, Text)).label("detail"),
                   case_list.c.case_number, case_list.c.status)
            .join_from(reach, theirs, and_(theirs.c.perceptual_hash == reach.c.hash, theirs.c.case_id != _CASE_ID))
            .join(case_list, case_list.c.case_id == theirs.c.case_id)
            .where(visible_to(viewer))
            .ext(distinct_on(theirs.c.case_id))
            .order_by(theirs.c.case_id, func.greatest(reach.c.global_position, theirs.c.global_position), earlier))


@lru_cache(maxsize=64)
def _links_statement(viewer: _Viewer):
    """Made once per kind of viewer (making it took twice as long as running it). Each part joins
    case_list by itself: joined after the union, the planner guessed the stored links' many rows and
    hashed the whole of case_list for each case read."""
    stored = (select(case_links.c.linked_case_id, case_links.c.reason, case_links.c.detail,
                     case_list.c.case_number, case_list.c.status)
              .join(case_list, case_list.c.case_id == case_links.c.linked_case_id)
              .where(case_links.c.case_id == _CASE_ID, visible_to(viewer)))
    by_screenshot = _linked_by_screenshot(viewer).subquery("by_screenshot")
    linked = union_all(_linked_by_key(viewer), select(by_screenshot), stored).subquery("linked")
    return select(linked).order_by(linked.c.case_number, linked.c.reason)


def links_of(conn, case_id: uuid.UUID, member) -> list[dict]:
    rows = conn.execute(_links_statement(_Viewer(member.role, member.work_unit)), {"case_id": case_id}).all()
    return [{"case_id": r.linked_case_id, "case_number": r.case_number, "status": r.status,
             "reason": r.reason, "detail": r.detail, "why": why_linked(r.reason, r.detail, r.case_number)}
            for r in rows]


def why_linked(reason: str, detail: str | None, other: str) -> str:
    """Why two cases are related, in words a member reads without ids (the screenshot link's detail
    is a pair of evidence ids: it stays in `detail`, for scripts)."""
    if reason == "same_asn":
        return f"ASN terlapor yang sama (NIP {detail})" if detail else "ASN terlapor yang sama"
    if reason == "same_post":
        return f"Melaporkan unggahan yang sama ({detail})" if detail else "Melaporkan unggahan yang sama"
    if reason == "similar_screenshot":
        return f"Tangkapan layar yang hampir sama dengan salah satu bukti kasus {other}"
    if reason == "duplicate":
        return f"Satu kasus dinyatakan duplikat dari kasus lainnya ({detail})" if detail else "Duplikat"
    return "Terkait"
