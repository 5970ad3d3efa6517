"""People read model: portrait indicators and quarterly figures against hand-computed values on a small
fixed history; person↔matter both ways; who sees what (rows by read_filter, clue figures by count_filter);
rebuild determinism; the routes' authorisation over every demo role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import count
from typing import Any

import pytest

from authz import Principal
from events import clues as clue_events
from events import inspections as inspection_events
from events import ledgers as ledger_events
from events import units as unit_events
from events.envelope import Envelope
from events.registry import Contract
from events.units import legacy_person_id
from projections.common.db import SqliteDatabase
from projections.common.query import PageRequest
from projections.people import view
from projections.people.projection import People
from runtime.projection_runner import Item, ProjectionRunner
from tests.api_helpers import Api, embedded_api
from tests.factories import make_envelope

LEADER = Principal("li.na", "李娜", "group-mee", "group", frozenset({"group_leader"}), group_id="group-mee",
                   supervised_unit_ids=frozenset({"unit-mee"}))
STAFF = Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee",
                  supervised_unit_ids=frozenset({"unit-mee"}))
DEPUTY = Principal("wang.qiang", "王强", "group-mee", "group", frozenset({"group_deputy"}), group_id="group-mee",
                   supervised_unit_ids=frozenset({"unit-mee"}))
OTHER_GROUP = Principal("he.leader2", "何军", "group-mwr", "group", frozenset({"group_leader"}), group_id="group-mwr",
                        supervised_unit_ids=frozenset({"unit-mwr"}))
HQ = Principal("chen.hq", "陈静", "hq", "hq", frozenset({"hq_staff"}))


def history() -> list[Envelope]:
    positions: dict[str, Iterator[int]] = {}
    envelopes: list[Envelope] = []

    def emit(payload: Contract, service: str, on: str, distribution: str = "hq", stream: str | None = None,
             version: int = 1, unit: str = "unit-mee", group: str = "group-mee") -> None:
        position = next(positions.setdefault(service, count(1)))
        envelope = make_envelope(payload, service=service, position=position, group_id=group, unit_id=unit,
                                 distribution=distribution, stream_id=stream, stream_version=version)
        envelopes.append(envelope.model_copy(update={"occurred_at": datetime.fromisoformat(on).replace(tzinfo=UTC)}))

    def directive(did: str, received: str, relayed: str | None = None, **where: Any) -> None:
        emit(ledger_events.DirectiveRegistered(directive_id=did, reference_number=did, issuer="部", title=did,
                                               issued_on=date.fromisoformat(received),
                                               received_on=date.fromisoformat(received), lead_department="办公厅",
                                               category=None, tied_to_duties=True), "ledgers", received, **where)
        if relayed:
            emit(ledger_events.DirectiveStageRecorded(directive_id=did, stage="relay_study",
                                                      done_on=date.fromisoformat(relayed), skipped_with_reason=False),
                 "ledgers", relayed, **where)

    directive("d1", "2025-01-10", "2025-01-13")
    directive("d2", "2025-02-01", "2025-02-08")
    directive("d3", "2025-03-01")
    emit(ledger_events.DirectiveWithdrawn(directive_id="d3", reason="重复登记"), "ledgers", "2025-03-02")
    directive("d4", "2024-05-01", "2024-05-11")
    directive("d5", "2025-01-05", "2025-01-06", unit="unit-mwr", group="group-mwr")

    def item(iid: str, kind: str, owner: str, opened: str, problem: str | None = None) -> None:
        emit(ledger_events.ItemOpened(item_id=iid, directive_id="d1", list_kind=kind, title=f"事项{iid}", owner=owner,
                                      deadline_rule=None, due_on=None, problem_type=problem, source="group",
                                      source_ref=None), "ledgers", opened, distribution="unit")

    item("i1", "problem", "王明", "2025-03-01", "empty_statements")
    item("i2", "problem", "王明", "2025-03-02", "inaction")
    item("i3", "task", "李华", "2025-03-03")
    item("i4", "problem", "李华", "2024-06-01", "inaction")
    emit(ledger_events.ItemClosed(item_id="i1", evidence_count=1, closed_on=date(2025, 4, 1),
                                  look_back_due_on=date(2025, 10, 1)), "ledgers", "2025-04-01", distribution="unit")
    emit(ledger_events.ItemOverdue(item_id="i2", due_on=date(2025, 4, 1), detected_on=date(2025, 4, 2)), "ledgers",
         "2025-04-02", distribution="unit")
    emit(ledger_events.ItemClosed(item_id="i4", evidence_count=1, closed_on=date(2024, 7, 1),
                                  look_back_due_on=date(2025, 1, 1)), "ledgers", "2024-07-01", distribution="unit")
    emit(ledger_events.QuarterlyReviewHeld(review_id="r1", quarter="2025年Q1", meeting_on=date(2025, 4, 3),
                                           chaired_by="李娜", attendees=["王强"], topics=["政治监督"], decisions=[],
                                           follow_ups=[]), "ledgers", "2025-04-03", unit=None)  # type: ignore[arg-type]

    def outbound(oid: str, issued: str) -> None:
        emit(unit_events.OutboundIssued(item_id=oid, kind="feedback", title="反馈", reference_number=oid,
                                        counterpart_id="p", counterpart_name="党组", level="party_group",
                                        signed_by="李娜", deadline=date(2025, 12, 31),
                                        issued_on=date.fromisoformat(issued)), "units", issued, distribution="unit")

    outbound("o1", "2025-02-01")
    outbound("o2", "2025-03-01")
    emit(unit_events.OutboundAnswered(item_id="o1", kind="feedback", submission_id="s1", completed=True,
                                      answered_on=date(2025, 2, 10)), "units", "2025-02-10", distribution="unit")
    emit(unit_events.PersonAppointed(post_id="post-1", person_id="p-wang", person_name="王明",
                                     post_kind="department_head", title="司长", department_id="dep-1",
                                     since=date(2024, 1, 1)), "units", "2024-01-01", distribution="unit")
    # a second 王明, in another post of the same unit: another person
    emit(unit_events.PersonAppointed(post_id="post-2", person_id="p-wang-2", person_name="王明", post_kind="leadership",
                                     title="副部长", department_id="party-group", since=date(2025, 1, 1),
                                     key_minority=True), "units", "2025-01-01", distribution="unit")
    emit(unit_events.ImportantFieldsSet(target="department", target_id="dep-1", fields=["inspection_enforcement"],
                                        on=date(2025, 1, 2)), "units", "2025-01-02", distribution="unit")
    emit(unit_events.KeyPersonFlagged(person_id="p-wang", person_name="王明", flagged=True, on=date(2025, 2, 1)),
         "units", "2025-02-01", distribution="group")
    for revision, overall in ((1, "fair"), (2, "good")):
        emit(unit_events.LeaderEvaluated(evaluation_id="ev-1", person_id="p-wang", person_name="王明", period="2025H1",
                                         aspects={"work_style": overall, "political_stance": "good"}, overall=overall,
                                         observation="党组会上发言", evaluated_on=date(2025, 7, revision),
                                         revision=revision), "units", f"2025-07-0{revision}", distribution="group")
    emit(unit_events.IntegrityOpinionRequested(request_id="rq-1", item_id="o-rq", person_id="p-wang",
                                               person_name="王明", purpose="selection_appointment",
                                               deadline=date(2025, 6, 30), requested_on=date(2025, 5, 20)),
         "units", "2025-05-20", distribution="unit")
    for mid, decided in (("pm1", "2025-05-01"), ("pm0", "2023-06-01")):
        emit(unit_events.PowerMatterRegistered(matter_id=mid, category="major_decision", title=f"重大事项{mid}",
                                               department_id="dep-1", department_name="一司",
                                               decided_on=date.fromisoformat(decided), source="unit_report"),
             "units", decided, distribution="group")
    for person_id, person, grade in (("p-wang", "王明", "good"), ("", "李华", "excellent")):
        emit(unit_events.DemocraticEvaluationReported(submission_id=f"s-{person}", person_id=person_id, cadre=person,
                                                      post="司长", year=2025, grade=grade), "units", "2025-01-20",
             distribution="unit")
    emit(unit_events.IntegrityOpinionReplied(submission_id="s-op", person_id="p-wang", cadre="王明",
                                             request_ref="征求〔2025〕1号", opinion="no_objection", request_id="rq-1"),
         "units", "2025-06-01", distribution="unit")
    # the unit's findings: after an inspection round, of a supervision activity, and look-backs
    for fid, round_id, activity_id, on in (("f1", "round-1", None, "2025-08-01"), ("f2", None, "act-1", "2025-08-02"),
                                           ("f0", "round-0", None, "2024-08-01")):
        emit(inspection_events.RectificationItemHandedOver(
            item_id=fid, round_id=round_id, activity_id=activity_id, title="问题", description="描述",
            problem_type="perfunctory", responsible_department="一司", deadline=date(2025, 12, 31)),
            "inspections", on, distribution="hq")
    emit(inspection_events.LookBackCompleted(look_back_id="lb-1", round_id="round-0", reopened_item_ids=["f0"]),
         "inspections", "2025-09-01", distribution="hq")
    emit(ledger_events.ItemLookBackConfirmed(item_id="i4", similar_checked=True, checked_on=date(2025, 1, 2)),
         "ledgers", "2025-01-02", distribution="unit")

    def clue(cid: str, received: str, compartment: list[str], key_person: bool = False) -> None:
        emit(clue_events.ClueRegistered(clue_id=cid, source="petition", categories=["integrity"],
                                        key_person=key_person, received_on=date.fromisoformat(received),
                                        status="registered", referral_id=None, disposition_due_on=None,
                                        compartment=compartment), "clues", received, stream=cid)

    clue("c1", "2025-02-01", ["li.na", "zhang.wei"], key_person=True)
    clue("c2", "2025-03-01", ["li.na"])
    clue("c3", "2024-03-01", ["zhang.wei"])
    emit(clue_events.ClueStatusChanged(clue_id="c1", status="case_filed", disposition=None, four_forms=2,
                                       result="case_filed", due_on=None, step="concluded"), "clues", "2025-05-01",
         stream="c1", version=2)
    # the concluded clue's outcome tied to 王明's file: distribution compartment:c1 (li.na, zhang.wei)
    emit(unit_events.ClueOutcomeTied(tie_id="t1", clue_id="c1", person_id="p-wang", person_name="王明",
                                     result="case_filed", four_forms=2, disposition=None, tied_on=date(2025, 6, 15)),
         "units", "2025-06-15", distribution="compartment:c1")
    return envelopes


@pytest.fixture(scope="module")
def db() -> SqliteDatabase:
    database = SqliteDatabase(":memory:")
    runner = ProjectionRunner(People(), database)
    runner.setup()
    runner.process([Item("fixture", 0, n, e) for n, e in enumerate(history())])
    assert runner.dead_letter_count() == 0
    return database


def portrait_of(db: SqliteDatabase, principal: Principal, unit: str = "unit-mee", year: int = 2025) -> dict[str, Any]:
    with db.transaction() as tx:
        return view.portrait(tx, principal, unit, year)


def test_portrait_indicators_by_hand(db: SqliteDatabase) -> None:
    found = portrait_of(db, LEADER)
    this, last, change = found["indicators"], found["previous"], found["change"]
    assert (this["directives_received"], this["relayed"], this["relay_median_days"]) == (2, 2, 5.0)  # d1 3 d, d2 7 d
    assert (last["directives_received"], last["relayed"], last["relay_median_days"]) == (1, 1, 10.0)
    assert (this["problems_opened"], this["problems_closed"], this["rectification_rate"]) == (2, 1, 0.5)
    assert this["problems_by_type"] == {"empty_statements": 1, "inaction": 1} and this["items_overdue"] == 1
    assert (last["problems_opened"], last["rectification_rate"]) == (1, 1.0)
    assert (this["feedback_issued"], this["feedback_answered"], this["feedback_answered_rate"]) == (2, 1, 0.5)
    assert this["power_matters"] == 1 and this["democratic_evaluation"] == {"excellent": 1, "good": 1}
    assert (this["clues_received"], this["key_person_clues"], this["four_forms"]) == (2, 1, {"2": 1})
    assert last["clues_received"] == 0  # c3 is outside li.na's compartments
    assert change["directives_received"] == 1 and change["relay_median_days"] == -5.0
    assert change["rectification_rate"] == -0.5 and change["clues_received"] == 2


def test_portrait_clue_figures_count_only_what_the_reader_may_read(db: SqliteDatabase) -> None:
    clues = {p.user_id: (portrait_of(db, p)["indicators"]["clues_received"],
                         portrait_of(db, p)["previous"]["clues_received"]) for p in (LEADER, STAFF, DEPUTY, HQ)}
    assert clues == {"li.na": (2, 0), "zhang.wei": (1, 1), "wang.qiang": (0, 0), "chen.hq": (2, 1)}
    assert portrait_of(db, DEPUTY)["indicators"]["key_person_clues"] == 0


def test_another_group_sees_nothing_of_the_unit(db: SqliteDatabase) -> None:
    other = portrait_of(db, OTHER_GROUP)["indicators"]
    assert other["directives_received"] == 0 and other["clues_received"] == 0 and other["power_matters"] == 0
    assert portrait_of(db, OTHER_GROUP, unit="unit-mwr")["indicators"]["directives_received"] == 1


def test_hq_does_not_count_what_is_distributed_to_the_group_only(db: SqliteDatabase) -> None:
    # 三重一大 matters here are distributed `group`: HQ does not see them, the group does
    assert portrait_of(db, HQ)["indicators"]["power_matters"] == 0
    assert portrait_of(db, LEADER)["indicators"]["power_matters"] == 1


def test_person_to_matters_and_matter_to_people(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        wang = view.matters_of(tx, LEADER, "p-wang", PageRequest(50))
        assert [(m["matter_id"], m["role"]) for m in wang.rows] == [("pm1", "department_head"), ("i2", "owner"),
                                                                    ("i1", "owner")]
        assert [m["matter_id"] for m in view.matters_of(tx, HQ, "p-wang", PageRequest(50)).rows] == ["i2", "i1"]
        # the other 王明 headed no department: the ledgers name an item's owner by name, so only items follow him
        assert [m["matter_id"] for m in view.matters_of(tx, LEADER, "p-wang-2", PageRequest(50)).rows] == ["i2", "i1"]
        assert view.people_of(tx, LEADER, "pm1") == [{"person_id": "p-wang", "person": "王明", "role": "department_head",
                                                     "post_kind": "department_head", "title": "司长"}]
        assert view.people_of(tx, LEADER, "pm0") == []  # decided before 王明 took the post
        assert view.people_of(tx, HQ, "pm1") is None and view.people_of(tx, OTHER_GROUP, "i1") is None
        # two people of the unit bear the owner's name: the matter names the name, not a guessed person
        assert view.people_of(tx, LEADER, "i1") == [{"person_id": None, "person": "王明", "role": "owner",
                                                    "post_kind": None, "title": None}]
        li_hua = legacy_person_id("unit-mee", "李华")  # reported by the unit, not on the roster
        assert view.people_of(tx, LEADER, "i3") == [{"person_id": li_hua, "person": "李华", "role": "owner",
                                                    "post_kind": None, "title": None}]


def test_integrity_file_is_keyed_by_person_id(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        rows = view.integrity_file(tx, LEADER, "p-wang", PageRequest(50)).rows
        assert [r["kind"] for r in rows] == ["appointed", "democratic_evaluation", "key_person_flagged",
                                             "integrity_opinion_requested", "integrity_opinion", "clue_outcome",
                                             "leader_evaluation", "leader_evaluation"]
        assert rows[5]["detail"] == {"clue_id": "c1", "result": "case_filed", "four_forms": 2, "disposition": None}
        # only the clue's compartment reads the tie: zhang.wei is in it, wang.qiang (same group) is not
        assert "clue_outcome" in [r["kind"] for r in view.integrity_file(tx, STAFF, "p-wang", PageRequest(50)).rows]
        assert "clue_outcome" not in [r["kind"] for r in view.integrity_file(tx, DEPUTY, "p-wang",
                                                                             PageRequest(50)).rows]
        assert rows[1]["detail"] == {"grade": "good", "post": "司长"}
        assert rows[4]["detail"]["request_id"] == "rq-1" and rows[4]["detail"]["opinion"] == "no_objection"
        # the namesake's file holds only his own appointment
        assert [r["kind"] for r in view.integrity_file(tx, LEADER, "p-wang-2", PageRequest(50)).rows] == ["appointed"]
        assert view.integrity_file(tx, OTHER_GROUP, "p-wang", PageRequest(50)).rows == []
        # HQ reads what the unit reported, never the group's own evaluations and flags (distribution `group`)
        assert [r["kind"] for r in view.integrity_file(tx, HQ, "p-wang", PageRequest(50)).rows] == [
            "appointed", "democratic_evaluation", "integrity_opinion_requested", "integrity_opinion"]


def test_people_directory_and_person_summary(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        named = view.persons(tx, LEADER, "unit-mee", "王明", None, PageRequest(50)).rows
        assert sorted((r["person_id"], r["key_person"], r["key_minority"]) for r in named) == [
            ("p-wang", True, False), ("p-wang-2", False, True)]
        assert [r["person_id"] for r in view.persons(tx, LEADER, None, None, True, PageRequest(50)).rows] == ["p-wang"]
        assert [r["key_person"] for r in view.persons(tx, HQ, "unit-mee", "王明", None, PageRequest(50)).rows] == [
            False, False]  # HQ may not read the group's flag
        assert view.persons(tx, HQ, None, None, True, PageRequest(50)).rows == []
        assert view.persons(tx, OTHER_GROUP, "unit-mee", None, None, PageRequest(50)).rows == []
        wang = view.person(tx, LEADER, "p-wang")
        assert wang is not None and wang["key_person"] and wang["key_person_since"] == "2025-02-01"
        assert wang["posts"][0]["important_fields"] == ["inspection_enforcement"]  # of his department
        assert [(e["period"], e["overall"], e["revision"]) for e in wang["evaluations"]] == [("2025H1", "good", 2)]
        hq_view = view.person(tx, HQ, "p-wang")
        assert hq_view is not None and hq_view["evaluations"] == [] and not hq_view["key_person"]
        assert view.person(tx, OTHER_GROUP, "p-wang") is None and view.person(tx, LEADER, "nobody") is None


def test_portrait_counts_the_units_findings_by_year(db: SqliteDatabase) -> None:
    this, last = portrait_of(db, LEADER)["indicators"], portrait_of(db, LEADER)["previous"]
    assert (this["inspection_findings"], this["activity_findings"]) == (1, 1)
    assert this["findings_by_type"] == {"perfunctory": 2}
    assert (this["look_backs"], this["look_backs_reopening"]) == (2, 1)  # i4's look-back confirmed; round-0 reopened
    assert (last["inspection_findings"], last["look_backs"]) == (1, 0)
    assert portrait_of(db, OTHER_GROUP)["indicators"]["inspection_findings"] == 0


def test_quarterly_statistics_by_hand(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        q1 = view.quarterly(tx, LEADER, "group-mee", 2025, 1)
        q2 = view.quarterly(tx, HQ, None, 2025, 2)
    assert q1 == {"group-mee": {"directives_received": 2, "directives_relayed": 2, "items_opened": 3,
                                "items_closed": 0, "problems_opened": 2, "outbound_issued": 2,
                                "outbound_answered": 1, "clues_received": 2, "reviews_held_on": ["2025-04-03"]}}
    assert q2["group-mee"]["items_closed"] == 1 and q2["group-mee"]["clues_received"] == 0
    assert view.quarter_bounds(2025, 4) == ("2025-10-01", "2025-12-31")


def test_rebuild_gives_identical_checksums() -> None:
    sums, events = [], history()
    for _ in range(2):
        database = SqliteDatabase(":memory:")
        runner = ProjectionRunner(People(), database)
        runner.setup()
        runner.process([Item("fixture", 0, n, e) for n, e in enumerate(events)])
        sums.append(runner.projection.checksum(database))
    assert sums[0] == sums[1]


# -- the routes over every demo role ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as client:
        yield client


PORTRAIT = {"li.na": 200, "wang.qiang": 200, "zhang.wei": 200, "zhou.min": 200, "chen.hq": 200, "sun.audit": 200,
            "zhou.other": 404, "he.leader2": 404, "zhao.unit": 404, "ma.party": 404, "qian.unit2": 404,
            "liu.team": 404, "xu.team": 404}
PEOPLE = {"li.na": 200, "wang.qiang": 200, "zhang.wei": 200, "zhou.min": 200, "chen.hq": 200, "sun.audit": 200,
          "zhou.other": 200, "he.leader2": 200, "zhao.unit": 403, "ma.party": 403, "qian.unit2": 403,
          "liu.team": 403, "xu.team": 403}


@pytest.mark.parametrize("user", sorted(PORTRAIT))
def test_routes_authorisation_matrix(api: Api, user: str) -> None:
    assert api.get(user, "/api/units/unit-mee/portrait", params={"year": 2025}).status_code == PORTRAIT[user]
    missing = api.get(user, "/api/units/unit-none/portrait", params={"year": 2025})
    assert missing.status_code == (200 if user in ("chen.hq", "sun.audit") else 404)
    for path, params in (("/api/people/p-none/integrity-file", {}), ("/api/people/p-none/matters", {}),
                         ("/api/people", {"name": "王明"}), ("/api/people/quarterly", {"year": 2025, "quarter": 1})):
        assert api.get(user, path, params=params).status_code == PEOPLE[user], (path, user)
    unknown = api.get(user, "/api/people/matters/none/people")
    assert unknown.status_code == (404 if PEOPLE[user] == 200 else 404)


@pytest.mark.parametrize("user,status", [("zhao.unit", 404), ("chen.hq", 404), ("liu.team", 404), ("li.na", 404)])
def test_the_groups_people_commands_are_refused_to_others(api: Api, user: str, status: int) -> None:
    # the unit, HQ and teams may not know the group's file on a person; the group gets 404 for a person not there
    flagged = api.post(user, "/api/units/unit-mee/people/no-such-person/key-person",
                       json={"flagged": True, "reason": "测试"})
    assert flagged.status_code == status, flagged.text
    evaluated = api.post(user, "/api/units/unit-mee/people/no-such-person/evaluations",
                         json={"period": "2025", "aspects": {"work_style": "good"}, "overall": "good",
                               "observation": "测试"})
    assert evaluated.status_code == status, evaluated.text


def test_bad_input_is_a_422(api: Api) -> None:
    assert api.get("li.na", "/api/units/unit-mee/portrait", params={"year": 1}).status_code == 422
    assert api.get("li.na", "/api/people/quarterly", params={"year": 2025, "quarter": 5}).status_code == 422
    assert api.get("li.na", "/api/people", params={"name": ""}).status_code == 422
    assert api.get("li.na", "/api/people/bad id/matters").status_code == 422


def test_compartment_changes_and_reopening_are_reflected_in_the_figures() -> None:
    database = SqliteDatabase(":memory:")
    runner = ProjectionRunner(People(), database)
    runner.setup()
    events = history()
    last = max(e.position for e in events if e.service == "clues")
    extra = [
        make_envelope(clue_events.ClueCompartmentChanged(clue_id="c2", added=["wang.qiang"], removed=[]),
                      service="clues", position=last + 1, stream_id="c2", stream_version=2),
        make_envelope(clue_events.ClueStatusChanged(clue_id="c1", status="registered", disposition=None,
                                                    four_forms=None, result=None, due_on=date(2025, 6, 1),
                                                    step="reopened", deadline="disposition"),
                      service="clues", position=last + 2, stream_id="c1", stream_version=3),
    ]
    runner.process([Item("fixture", 0, n, e) for n, e in enumerate(events + extra)])
    assert portrait_of(database, DEPUTY)["indicators"]["clues_received"] == 1
    assert portrait_of(database, LEADER)["indicators"]["four_forms"] == {}


def test_facts_recorded_before_persons_had_ids_are_keyed_by_the_legacy_id_of_their_name() -> None:
    """A v1 appointment and a v1 evaluation (no person id) upcast to v2 with an empty id; the read model keys both
    by the legacy id of the name in their unit, which the units service gives the same post (one person)."""
    database = SqliteDatabase(":memory:")
    runner = ProjectionRunner(People(), database)
    runner.setup()
    old = [
        make_envelope(unit_events.PersonAppointedV1(post_id="old-post", person_name="赵强", post_kind="head",
                                                    title="局长", department_id="party-group",
                                                    since=date(2020, 1, 1)),
                      service="units", position=1, distribution="unit"),
        make_envelope(unit_events.DemocraticEvaluationReportedV1(submission_id="old-s", cadre="赵强", post="局长",
                                                                 year=2020, grade="good"),
                      service="units", position=2, distribution="unit"),
    ]
    runner.process([Item("fixture", 0, n, e) for n, e in enumerate(old)])
    assert runner.dead_letter_count() == 0
    legacy = legacy_person_id("unit-mee", "赵强")
    with database.transaction() as tx:
        assert [r["kind"] for r in view.integrity_file(tx, LEADER, legacy, PageRequest(50)).rows] == [
            "appointed", "democratic_evaluation"]
        found = view.person(tx, LEADER, legacy)
        assert found is not None and found["key_minority"]  # a v1 head upcasts as the key minority
