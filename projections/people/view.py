"""Queries of the people read model: integrity files, person↔matter, political portrait, quarterly statistics.

Rows are read through `read_filter` (what the principal may read); clue figures through `count_filter` over
`people_clues` (no count includes a clue the reader may not read; HQ and audit count every clue, numbers
only). Indicators and the seed line each comes from:

| indicator | computed from | seed |
| --- | --- | --- |
| directives_received | directives received in the year, not withdrawn | 002 管好"一本台账"…做到情况明、底数清 |
| relayed / relay_median_days | relay-and-study stage done; days from receipt | 002 首先看态度…第一时间传达学习 |
| items_overdue | four-lists items of the year that went overdue | 002 限期办结、逐项销号; 000 构建监督闭环 |
| problems_by_type | problem items opened in the year, by type | 002 精准发现问题 (空泛表态, 敷衍塞责, …) |
| rectification_rate | problem items of the year closed / opened | 002 最终看效果，看是否真改实改 |
| feedback_answered_rate | outbound items issued in the year answered / issued | 000 及时反馈、督促整改 |
| power_matters | 三重一大 matters registered in the year | 000 围绕重大事项决策、重要干部任免、重要项目安排、大额资金使用 |
| democratic_evaluation | grades of the year's democratic evaluations | 000 民主评议结果 (廉政档案) |
| clues_received / key_person_clues / four_forms | clues received in the year (people_clues) | 000 精准运用监督执纪"四种形态"; 002 通过问题线索处置…"以人看事" |
| inspection_findings / activity_findings / findings_by_type | findings handed over as rectification items in the year: after an inspection round, of a supervision activity | 000 合力推动巡视整改取得实效; 002 精准发现问题 |
| look_backs / look_backs_reopening | look-backs (回头看) done in the year on ledger items and inspection rounds; those that reopened something | 002 对驻在单位“回头看”情况开展监督; 是否真改实改 |
"""

from __future__ import annotations

import json
import re
from datetime import date
from statistics import median
from typing import Any

from authz import Principal
from authz.counts import count_filter
from authz.filters import Clause, Columns, read_filter
from projections.common.db import Tx
from projections.common.query import Page, PageRequest, Sort, fetch_page, where

RECORD_SORT = Sort("on_date", "r.on_date", "r.record_id")
MATTER_SORT = Sort("-opened_on", "m.opened_on", "m.matter_id", descending=True)
CLUE_COLUMNS = Columns(compartments="people_clue_compartments", alias="c")


PERSON_SORT = Sort("name", "p.name", "p.person_id")


def persons(tx: Tx, principal: Principal, unit_id: str | None, name: str | None, key_person: bool | None,
            page: PageRequest) -> Page:
    """The people of the rosters (and cadres the units reported) the reader may read, by name: each with the
    roster's person id, so two cadres of one name are two rows. `key_person` (重点人) is the group's own flag:
    it filters and shows only for a reader who may read the flag."""
    flag = read_filter(principal, Columns(alias="k"))
    flagged = f"EXISTS (SELECT 1 FROM people_key_persons k WHERE k.person_id = p.person_id AND ({flag.sql}))"
    clauses = [read_filter(principal, Columns(alias="p"))]
    if unit_id:
        clauses.append(Clause("p.unit_id = %s", (unit_id,)))
    if name:
        clauses.append(Clause("p.name = %s", (name,)))
    if key_person is not None:
        clauses.append(Clause(flagged if key_person else f"NOT {flagged}", flag.params))
    columns = ("person_id", "name", "unit_id", "group_id", "distribution")
    found = fetch_page(tx, f"SELECT {', '.join('p.' + c for c in columns)} FROM people_persons p", columns, clauses,
                       PERSON_SORT, page)
    ids = [row["person_id"] for row in found.rows]
    flags, minority = set(), set()
    if ids:
        marks = ", ".join(["%s"] * len(ids))
        keyed = where([flag, Clause(f"k.person_id IN ({marks})", tuple(ids))])
        flags = {str(i) for (i,) in tx.fetchall(f"SELECT k.person_id FROM people_key_persons k WHERE {keyed.sql}",
                                                keyed.params)}
        posts = where([read_filter(principal, Columns(alias="m")), Clause(f"m.person_id IN ({marks})", tuple(ids)),
                       Clause("m.key_minority = 1 AND m.left_on IS NULL")])
        minority = {str(i) for (i,) in tx.fetchall(f"SELECT m.person_id FROM people_posts m WHERE {posts.sql}",
                                                   posts.params)}
    return Page([{**row, "unit_id": row["unit_id"] or "", "key_person": row["person_id"] in flags,
                  "key_minority": row["person_id"] in minority} for row in found.rows], found.next_cursor)


def roster_name(tx: Tx, person_id: str, unit_id: str) -> str | None:
    """The name of a person of this unit's roster (or a cadre the unit reported); None for anyone else."""
    row = tx.fetchone("SELECT name FROM people_persons WHERE person_id = %s AND unit_id = %s", (person_id, unit_id))
    return None if row is None else str(row[0])


def person(tx: Tx, principal: Principal, person_id: str) -> dict[str, Any] | None:
    """A person's summary: posts (关键少数, 重要岗位、重点领域 of the post and its department), the key-person flag
    and the latest evaluation of each period, as far as the reader may read them; None for a person the reader
    may not read (or who does not exist)."""
    readable = where([read_filter(principal, Columns(alias="p")), Clause("p.person_id = %s", (person_id,))])
    row = tx.fetchone(f"SELECT p.person_id, p.name, p.unit_id, p.group_id, p.distribution FROM people_persons p"
                      f" WHERE {readable.sql}", readable.params)
    if row is None:
        return None
    found = dict(zip(("person_id", "name", "unit_id", "group_id", "distribution"), row, strict=True))
    unit_id = found["unit_id"]
    important: dict[tuple[str, str], list[str]] = {}
    marks = where([read_filter(principal, Columns(alias="i")), Clause("i.unit_id = %s", (unit_id,))])
    for target, target_id, fields in tx.fetchall(
            f"SELECT i.target, i.target_id, i.fields FROM people_important i WHERE {marks.sql}", marks.params):
        important[(str(target), str(target_id))] = list(json.loads(fields))
    posts_where = where([read_filter(principal, Columns(alias="p")), Clause("p.person_id = %s", (person_id,))])
    posts = []
    for post_id, post_kind, title, department_id, since, left_on, minority in tx.fetchall(
            "SELECT p.post_id, p.post_kind, p.title, p.department_id, p.since, p.left_on, p.key_minority"
            f" FROM people_posts p WHERE {posts_where.sql} ORDER BY p.since, p.post_id", posts_where.params):
        fields = set(important.get(("post", str(post_id)), [])) | set(important.get(("department", str(department_id)),
                                                                                   []))
        posts.append({"post_id": post_id, "post_kind": post_kind, "title": title, "department_id": department_id,
                      "since": since, "left_on": left_on, "key_minority": bool(minority),
                      "important_fields": sorted(fields)})
    flag = where([read_filter(principal, Columns(alias="k")), Clause("k.person_id = %s", (person_id,))])
    key = tx.fetchone(f"SELECT k.since FROM people_key_persons k WHERE {flag.sql}", flag.params)
    evaluations: dict[str, dict[str, Any]] = {}
    rows = where([read_filter(principal, Columns(alias="r")), Clause("r.person_id = %s", (person_id,)),
                  Clause("r.kind = 'leader_evaluation'")])
    for (detail,) in tx.fetchall(f"SELECT r.detail FROM people_records r WHERE {rows.sql} ORDER BY r.on_date,"
                                 " r.record_id", rows.params):
        evaluation = json.loads(detail)
        evaluations[evaluation["period"]] = evaluation  # a later revision replaces the earlier one
    return {**found, "unit_id": unit_id or "", "posts": posts,
            "key_minority": any(p["key_minority"] and p["left_on"] is None for p in posts),
            "key_person": key is not None, "key_person_since": key[0] if key else None,
            "evaluations": [evaluations[p] for p in sorted(evaluations)]}


def integrity_file(tx: Tx, principal: Principal, person_id: str, page: PageRequest) -> Page:
    """A cadre's integrity-file entries (posts, evaluations, reports, integrity opinions), oldest first."""
    clauses = [read_filter(principal, Columns(alias="r", compartments="people_clue_compartments")),
               Clause("r.person_id = %s", (person_id,))]
    columns = ("record_id", "person_id", "person", "kind", "year", "on_date", "detail", "unit_id", "group_id",
               "distribution")
    found = fetch_page(tx, f"SELECT {', '.join('r.' + c for c in columns)} FROM people_records r", columns,
                       clauses, RECORD_SORT, page)
    return Page([{**row, "detail": json.loads(row["detail"]), "unit_id": row["unit_id"] or ""} for row in found.rows],
                found.next_cursor)


MATTER_COLUMNS = ("matter_id", "matter_kind", "title", "owner", "owner_person_id", "department_id", "directive_id",
                  "list_kind", "problem_type", "category", "status", "opened_on", "closed_on", "due_on", "overdue", "unit_id")


def _matter(row: dict[str, Any], role: str) -> dict[str, Any]:
    return {**row, "overdue": bool(row["overdue"]), "unit_id": row["unit_id"] or "", "role": role}


def matters_of(tx: Tx, principal: Principal, person_id: str, page: PageRequest) -> Page:
    """以人看事: every matter a person appears in: the items of their unit they own (by the item's
    `owner_person_id`; an item that names its owner by name only, by that name), and the 三重一大 matters of a
    department while they headed it (a post of theirs in that department, decided between taking it and leaving
    it)."""
    known = where([read_filter(principal, Columns(alias="p")), Clause("p.person_id = %s", (person_id,))])
    row = tx.fetchone(f"SELECT p.name, p.unit_id FROM people_persons p WHERE {known.sql}", known.params)
    if row is None:
        return Page([], None)
    name, unit_id = row
    heads = ("EXISTS (SELECT 1 FROM people_posts p WHERE p.person_id = %s AND p.department_id = m.department_id"
             " AND p.unit_id = m.unit_id AND p.since <= m.opened_on AND (p.left_on IS NULL OR m.opened_on <= p.left_on))")
    clauses = [read_filter(principal, Columns(alias="m")), Clause("m.unit_id = %s", (unit_id,)),
               Clause(f"({OWNED} OR (m.matter_kind = 'power_matter' AND {heads}))", (person_id, name, person_id))]
    found = fetch_page(tx, f"SELECT {', '.join('m.' + c for c in MATTER_COLUMNS)} FROM people_matters m",
                       MATTER_COLUMNS, clauses, MATTER_SORT, page)
    return Page([_matter(row, "owner" if _owns(row, person_id, name) else "department_head") for row in found.rows],
                found.next_cursor)


OWNED = "(m.owner_person_id = %s OR (m.owner_person_id IS NULL AND m.owner = %s))"
"""An item a person owns: named by person id, or (no person id recorded) by the person's name."""


def _owns(row: dict[str, Any], person_id: str, name: str) -> bool:
    return bool(row["owner_person_id"] == person_id or (row["owner_person_id"] is None and row["owner"] == name))


def people_of(tx: Tx, principal: Principal, matter_id: str) -> list[dict[str, Any]] | None:
    """以事看人: the people a matter names (its owner — with the person id the item records, or, for an item named
    by name only, when one person of the unit bears that name; for a 三重一大 matter the heads of its department at
    the time). None when the principal may not read the matter (or it does not exist)."""
    readable = where([Clause("m.matter_id = %s", (matter_id,)), read_filter(principal, Columns(alias="m"))])
    row = tx.fetchone(f"SELECT {', '.join('m.' + c for c in MATTER_COLUMNS)} FROM people_matters m WHERE "
                      f"{readable.sql}", readable.params)
    if row is None:
        return None
    matter = dict(zip(MATTER_COLUMNS, row, strict=True))
    people: list[dict[str, Any]] = []
    if matter["owner_person_id"]:
        known = where([read_filter(principal, Columns(alias="p")),
                       Clause("p.person_id = %s", (matter["owner_person_id"],))])
        found = tx.fetchone(f"SELECT p.name FROM people_persons p WHERE {known.sql}", known.params)
        people.append({"person_id": matter["owner_person_id"], "person": str(found[0]) if found else matter["owner"],
                       "role": "owner", "post_kind": None, "title": None})
    elif matter["owner"]:
        named = where([read_filter(principal, Columns(alias="p")),
                       Clause("p.name = %s AND p.unit_id = %s", (matter["owner"], matter["unit_id"]))])
        ids = [str(i) for (i,) in tx.fetchall(f"SELECT p.person_id FROM people_persons p WHERE {named.sql}",
                                              named.params)]
        people.append({"person_id": ids[0] if len(ids) == 1 else None, "person": matter["owner"], "role": "owner",
                       "post_kind": None, "title": None})
    if matter["matter_kind"] == "power_matter":
        posts = where([
            read_filter(principal, Columns(alias="p")),
            Clause("p.department_id = %s AND p.unit_id = %s AND p.since <= %s AND (p.left_on IS NULL OR %s <= p.left_on)",
                   (matter["department_id"], matter["unit_id"], matter["opened_on"], matter["opened_on"])),
        ])
        for person_id, name, post_kind, title in tx.fetchall(
            f"SELECT p.person_id, p.person, p.post_kind, p.title FROM people_posts p WHERE {posts.sql}"
            " ORDER BY p.person, p.post_id", posts.params,
        ):
            people.append({"person_id": person_id, "person": name, "role": "department_head", "post_kind": post_kind,
                           "title": title})
    return people


# -- political portrait ------------------------------------------------------------------------------
def _year(column: str, year: int) -> Clause:
    return Clause(f"{column} >= %s AND {column} <= %s", (f"{year}-01-01", f"{year}-12-31"))


def _count(tx: Tx, table: str, clauses: list[Clause]) -> int:
    condition = where(clauses)
    found = tx.fetchone(f"SELECT COUNT(*) FROM {table} WHERE {condition.sql}", condition.params)
    return int(found[0]) if found else 0


def year_indicators(tx: Tx, principal: Principal, unit_id: str, year: int) -> dict[str, Any]:
    """The portrait's indicators of one unit in one calendar year (see the module docstring)."""
    unit = Clause("unit_id = %s", (unit_id,))
    rows = read_filter(principal)
    directives = tx.fetchall(
        "SELECT received_on, relayed_on FROM portrait_directives WHERE " + where(
            [rows, unit, _year("received_on", year), Clause("withdrawn = 0")]).sql,
        where([rows, unit, _year("received_on", year), Clause("withdrawn = 0")]).params)
    relay_days = [(date.fromisoformat(str(r)) - date.fromisoformat(str(d))).days for d, r in directives if r]
    items = [rows, unit, Clause("matter_kind = 'item'"), _year("opened_on", year)]
    problems = [*items, Clause("list_kind = 'problem'")]
    opened_problems = _count(tx, "people_matters", problems)
    closed_problems = _count(tx, "people_matters", [*problems, Clause("status = 'closed'")])
    by_type = where(problems)
    problem_types = {str(t or "other"): int(n) for t, n in tx.fetchall(
        f"SELECT problem_type, COUNT(*) FROM people_matters WHERE {by_type.sql} GROUP BY problem_type",
        by_type.params)}
    outbound = [rows, unit, _year("issued_on", year), Clause("withdrawn = 0")]
    issued = _count(tx, "portrait_outbound", outbound)
    answered = _count(tx, "portrait_outbound", [*outbound, Clause("answered_on IS NOT NULL")])
    evaluations = where([rows, unit, Clause("kind = 'democratic_evaluation'"), Clause("year = %s", (year,))])
    grades: dict[str, int] = {}
    for (detail,) in tx.fetchall(f"SELECT detail FROM people_records WHERE {evaluations.sql}", evaluations.params):
        grade = str(json.loads(detail).get("grade"))
        grades[grade] = grades.get(grade, 0) + 1
    clues = [count_filter(principal, CLUE_COLUMNS), Clause("c.unit_id = %s", (unit_id,)), _year("c.received_on", year)]
    four_forms_clause = where(clues)
    four_forms = {str(f): int(n) for f, n in tx.fetchall(
        f"SELECT c.four_forms, COUNT(*) FROM people_clues c WHERE {four_forms_clause.sql} AND c.four_forms IS NOT NULL"
        " GROUP BY c.four_forms", four_forms_clause.params)}
    findings = [rows, unit, _year("on_date", year)]
    handed_over = [*findings, Clause("source IN ('inspection', 'supervision_activity')")]
    by_finding_type = where(handed_over)
    finding_types = {str(t or "other"): int(n) for t, n in tx.fetchall(
        f"SELECT problem_type, COUNT(*) FROM portrait_findings WHERE {by_finding_type.sql} GROUP BY problem_type",
        by_finding_type.params)}
    look_backs = [*findings, Clause("source IN ('ledger_look_back', 'inspection_look_back')")]
    return {
        "inspection_findings": _count(tx, "portrait_findings", [*findings, Clause("source = 'inspection'")]),
        "activity_findings": _count(tx, "portrait_findings", [*findings, Clause("source = 'supervision_activity'")]),
        "findings_by_type": dict(sorted(finding_types.items())),
        "look_backs": _count(tx, "portrait_findings", look_backs),
        "look_backs_reopening": _count(tx, "portrait_findings", [*look_backs, Clause("reopened > 0")]),
        "directives_received": len(directives),
        "relayed": len(relay_days),
        "relay_median_days": float(median(relay_days)) if relay_days else None,
        "items_overdue": _count(tx, "people_matters", [*items, Clause("overdue = 1")]),
        "problems_opened": opened_problems,
        "problems_closed": closed_problems,
        "rectification_rate": round(closed_problems / opened_problems, 4) if opened_problems else None,
        "problems_by_type": dict(sorted(problem_types.items())),
        "feedback_issued": issued,
        "feedback_answered": answered,
        "feedback_answered_rate": round(answered / issued, 4) if issued else None,
        "power_matters": _count(tx, "people_matters", [rows, unit, Clause("matter_kind = 'power_matter'"),
                                                       _year("opened_on", year)]),
        "democratic_evaluation": dict(sorted(grades.items())),
        "clues_received": _count(tx, "people_clues c", clues),
        "key_person_clues": _count(tx, "people_clues c", [*clues, Clause("c.key_person = 1")]),
        "four_forms": dict(sorted(four_forms.items())),
    }


def portrait(tx: Tx, principal: Principal, unit_id: str, year: int) -> dict[str, Any]:
    """A unit's indicators of `year`, of the year before, and the change of each number (this − last)."""
    this, last = year_indicators(tx, principal, unit_id, year), year_indicators(tx, principal, unit_id, year - 1)
    change = {name: (None if value is None or last[name] is None else round(value - last[name], 4))
              for name, value in this.items() if not isinstance(value, dict)}
    return {"unit_id": unit_id, "year": year, "indicators": this, "previous": last, "change": change}


# -- quarterly statistics ------------------------------------------------------------------------------
def quarter_bounds(year: int, quarter: int) -> tuple[str, str]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1).toordinal() - 1
    return first.isoformat(), date.fromordinal(last).isoformat()


def _label(quarter: str) -> str:
    return re.sub(r"[^0-9Q]", "", quarter.upper())


def quarterly(tx: Tx, principal: Principal, group_id: str | None, year: int, quarter: int) -> dict[str, Any]:
    """What a group did in a quarter, for its quarterly review (组务会季度专题研究): per group."""
    start, end = quarter_bounds(year, quarter)
    rows = read_filter(principal)
    groups: dict[str, dict[str, Any]] = {}
    scope = [rows] + ([Clause("group_id = %s", (group_id,))] if group_id else [])

    def add(name: str, table: str, clauses: list[Clause]) -> None:
        condition = where(scope + clauses)
        for gid, count in tx.fetchall(f"SELECT group_id, COUNT(*) FROM {table} WHERE {condition.sql} GROUP BY group_id",
                                      condition.params):
            groups.setdefault(str(gid), {})[name] = int(count)

    def between(column: str) -> Clause:
        return Clause(f"{column} >= %s AND {column} <= %s", (start, end))

    add("directives_received", "portrait_directives", [between("received_on"), Clause("withdrawn = 0")])
    add("directives_relayed", "portrait_directives", [between("relayed_on"), Clause("withdrawn = 0")])
    add("items_opened", "people_matters", [Clause("matter_kind = 'item'"), between("opened_on")])
    add("items_closed", "people_matters", [Clause("matter_kind = 'item'"), between("closed_on")])
    add("problems_opened", "people_matters", [Clause("list_kind = 'problem'"), between("opened_on")])
    add("outbound_issued", "portrait_outbound", [between("issued_on"), Clause("withdrawn = 0")])
    add("outbound_answered", "portrait_outbound", [between("answered_on")])
    clues = where([count_filter(principal, CLUE_COLUMNS), between("c.received_on")]
                  + ([Clause("c.group_id = %s", (group_id,))] if group_id else []))
    for gid, count in tx.fetchall(f"SELECT c.group_id, COUNT(*) FROM people_clues c WHERE {clues.sql} GROUP BY c.group_id",
                                  clues.params):
        groups.setdefault(str(gid), {})["clues_received"] = int(count)
    reviews = where(scope)
    label = f"{year}Q{quarter}"
    for gid, quarter_label, meeting_on in tx.fetchall(
            f"SELECT group_id, quarter, meeting_on FROM quarterly_reviews WHERE {reviews.sql} ORDER BY meeting_on",
            reviews.params):
        if _label(str(quarter_label)) == label:
            groups.setdefault(str(gid), {}).setdefault("reviews_held_on", []).append(str(meeting_on))
    names = ("directives_received", "directives_relayed", "items_opened", "items_closed", "problems_opened",
             "outbound_issued", "outbound_answered", "clues_received")
    return {gid: {**{n: found.get(n, 0) for n in names}, "reviews_held_on": found.get("reviews_held_on", [])}
            for gid, found in sorted(groups.items())}
