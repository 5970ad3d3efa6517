"""Scheduling rounds as one mechanism (issue #15): the unit answers the rounds addressed to it, the group may
enter an answer on its behalf (the event says which), and the unit's progress report naming a round feeds it."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from authz import Principal
from events import units
from events.ledgers import SchedulingRoundResponded, SchedulingRoundRespondedV1
from events.registry import decode
from runtime.policy_runners import deliver
from runtime.projection_runner import Item
from services.common.errors import InvalidInputError, NotFoundError
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.loop import SchedulingRound
from services.ledgers.integration import round_responded
from services.ledgers.loop import round_view
from services.ledgers.policies import UnmatchedReportError
from tests.factories import acting_as, make_envelope

from .conftest import GROUP, UNIT, register


def principal(user: str, org_kind: str, role: str, unit_id: str | None = UNIT) -> Principal:
    return Principal(user_id=user, name=user, org_id=unit_id if org_kind == "unit" else GROUP, org_kind=org_kind,
                     roles=frozenset({role}), group_id=GROUP if org_kind == "group" else None,
                     unit_id=unit_id if org_kind == "unit" else None,
                     supervised_unit_ids=frozenset({UNIT}) if org_kind == "group" else frozenset())


def as_principal(app: LedgersApplication, who: Principal, action: str) -> Any:
    context = replace(acting_as(who.user_id, who.org_id, sorted(who.roles)[0]), principal=who, action=action)
    return app.acting(context)


def open_round(app: LedgersApplication) -> tuple[str, str, str]:
    first = register(app, "环办〔2025〕1号")
    second = register(app, "环办〔2025〕2号", title="关于黄河流域生态保护的重要批示")
    round_id = app.open_scheduling_round(GROUP, UNIT, "一季度调度", [first, second], date(2025, 3, 31))["round_id"]
    return round_id, first, second


def test_the_unit_answers_its_round_and_the_group_may_enter_an_answer_on_its_behalf(app: LedgersApplication) -> None:
    round_id, first, second = open_round(app)
    liaison = principal("zhao.unit", "unit", "unit_liaison")
    with as_principal(app, liaison, "ledgers.answer_round"):
        app.record_round_response(round_id, first, "in_progress", "已印发实施方案")
    with as_principal(app, principal("zhang.wei", "group", "group_staff"), "ledgers.answer_round"):
        app.record_round_response(round_id, second, "not_started", "电话问询：尚未启动")
    with as_principal(app, liaison, "ledgers.read_round"):
        view = app.get_scheduling_round(round_id)
    by = {d: r["answered_by"] for d, r in view["responses"].items()}
    assert by[first] == {"side": "unit", "user": "zhao.unit", "name": "zhao.unit", "via": "entered"}
    assert by[second]["side"] == "group" and by[second]["user"] == "zhang.wei"
    assert [d["reference_number"] for d in view["directives"]] == ["环办〔2025〕1号", "环办〔2025〕2号"]
    assert view["missing"] == []


def test_another_units_user_gets_the_404_of_a_missing_round(app: LedgersApplication) -> None:
    round_id, first, _ = open_round(app)
    stranger = principal("qian.unit", "unit", "unit_liaison", unit_id="unit-mwr")
    for action in ("ledgers.answer_round", "ledgers.read_round"):
        with as_principal(app, stranger, action), pytest.raises(NotFoundError):
            if action == "ledgers.answer_round":
                app.record_round_response(round_id, first, "completed", "x")
            else:
                app.get_scheduling_round(round_id)
    # the unit's department may read its round but answers through its liaison (as it answers items)
    department = principal("dept.unit", "unit", "unit_department")
    with as_principal(app, department, "ledgers.answer_round"), pytest.raises(Exception) as refused:
        app.record_round_response(round_id, first, "completed", "x")
    assert getattr(refused.value, "status", None) == 403
    assert app.get_scheduling_round(round_id)["responses"] == {}


def test_a_response_recorded_before_the_unit_could_answer_still_loads_as_the_groups(app: LedgersApplication) -> None:
    round_id, first, _ = open_round(app)
    app.record_round_response(round_id, first, "in_progress", "已部署")
    stored = [e for e in app.recorder.select_events(uuid.UUID(round_id)) if e.topic.endswith("ResponseRecorded")][0]
    state = json.loads(stored.state)
    old_state = {k: v for k, v in state.items() if k != "answered_by"}
    old = StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                      topic=stored.topic, state=json.dumps(old_state).encode("utf-8"))
    event = app.mapper.to_domain_event(old)
    assert not hasattr(event, "answered_by")
    published = round_responded(event).payload
    assert isinstance(published, SchedulingRoundResponded)
    assert (published.answered_by, published.via, published.report_id) == ("group", "entered", None)
    round_ = app.repository.get(uuid.UUID(round_id), version=stored.originator_version - 1)
    event.mutate(round_)
    assert round_view(round_).responses[first]["answered_by"]["side"] == "group"
    v1 = SchedulingRoundRespondedV1(round_id=round_id, directive_id=first, status="completed",
                                    responded_on=date(2025, 3, 3))
    upcast = decode(make_envelope(v1, service="ledgers", position=1, stream_id=round_id))
    assert isinstance(upcast, SchedulingRoundResponded) and upcast.answered_by == "group"


def report(round_id: str | None, answers: list[tuple[str, str]], report_id: str = "rep-1") -> units.ProgressReported:
    return units.ProgressReported(
        report_id=report_id, subject_ref="一季度调度", period="2025Q1", summary="总体按计划推进",
        round_id=round_id,
        directive_statuses=[units.DirectiveStatus(directive_id=d, status=s, summary="") for d, s in answers])


def test_a_progress_report_naming_the_round_answers_it_once(app: LedgersApplication) -> None:
    round_id, first, second = open_round(app)
    payload = report(round_id, [(first, "completed"), (second, "in_progress")])
    envelope = make_envelope(payload, service="units", position=9, distribution="unit")
    assert app.process_integration_event(envelope, payload) is True
    assert app.process_integration_event(envelope, payload) is False  # redelivered: tracked
    # re-published at a later position (a relay restart): the round knows the report, nothing new is recorded
    version = len(app.recorder.select_events(uuid.UUID(round_id)))
    later = make_envelope(payload, service="units", position=10, distribution="unit")
    assert app.process_integration_event(later, payload) is True
    assert len(app.recorder.select_events(uuid.UUID(round_id))) == version
    view = app.get_scheduling_round(round_id)
    assert {d: r["status"] for d, r in view["responses"].items()} == {first: "completed", second: "in_progress"}
    by = view["responses"][first]["answered_by"]
    assert (by["side"], by["via"], by["report_id"]) == ("unit", "progress_report", "rep-1")
    assert view["responses"][first]["summary"] == "总体按计划推进"  # the report's summary when none per directive


def test_a_report_for_a_closed_round_or_foreign_directives_is_recorded_unmatched(app: LedgersApplication) -> None:
    round_id, first, _ = open_round(app)
    payload = report(round_id, [(first, "completed"), ("not-in-round", "completed")])
    app.process_integration_event(make_envelope(payload, service="units", position=3), payload)
    view = app.get_scheduling_round(round_id)
    assert list(view["responses"]) == [first]
    assert [(u["reason"], u["directive_ids"]) for u in view["unmatched_reports"]] == [("not_in_round",
                                                                                       ["not-in-round"])]
    app.close_scheduling_round(round_id, note="本轮结束")
    late = report(round_id, [(first, "in_progress")], report_id="rep-2")
    assert app.process_integration_event(make_envelope(late, service="units", position=4), late) is True
    view = app.get_scheduling_round(round_id)
    assert view["responses"][first]["status"] == "completed"
    assert view["unmatched_reports"][-1]["reason"] == "round_closed"


def test_a_report_without_a_round_touches_no_round(app: LedgersApplication) -> None:
    round_id, _, _ = open_round(app)
    plain = report(None, [])
    assert app.process_integration_event(make_envelope(plain, service="units", position=5), plain) is True
    assert app.get_scheduling_round(round_id)["responses"] == {}


def test_a_report_for_an_unknown_or_another_units_round_is_dead_lettered_and_the_feed_goes_on(
    app: LedgersApplication,
) -> None:
    round_id, first, _ = open_round(app)
    parked: list[tuple[str, str]] = []

    def sink(name: str, item: Item, reason: str) -> None:
        parked.append((name, reason))

    unknown = report(str(uuid.uuid4()), [(first, "completed")], report_id="rep-x")
    envelope = make_envelope(unknown, service="units", position=6)
    assert deliver(app, envelope, Item("units", 0, 6, envelope), sink) is False
    foreign = report(round_id, [(first, "completed")], report_id="rep-y")
    envelope = make_envelope(foreign, service="units", position=7, unit_id="unit-mwr")
    assert deliver(app, envelope, Item("units", 0, 7, envelope), sink) is False
    assert [reason.split(":")[0] for _, reason in parked] == ["UnmatchedReportError", "UnmatchedReportError"]
    good = report(round_id, [(first, "completed")], report_id="rep-z")
    envelope = make_envelope(good, service="units", position=8)
    assert deliver(app, envelope, Item("units", 0, 8, envelope), sink) is True
    assert app.get_scheduling_round(round_id)["responses"][first]["status"] == "completed"
    assert issubclass(UnmatchedReportError, InvalidInputError)


def test_the_round_applies_a_report_once_in_the_domain() -> None:
    round_ = SchedulingRound.open(group_id=GROUP, unit_id=UNIT, subject="调度", directive_ids=["d1"],
                                  respond_by_rule={}, respond_by=date(2025, 3, 31), requested_on=date(2025, 3, 3))
    by = {"side": "unit", "user": "zhao.unit", "name": None}
    answers = [{"directive_id": "d1", "status": "in_progress", "summary": "推进中"}]
    assert round_.apply_report("r1", answers, "总体", date(2025, 3, 4), by) is True
    assert round_.apply_report("r1", answers, "总体", date(2025, 3, 4), by) is False
    assert round_.responses["d1"]["summary"] == "推进中" and round_.reports_applied == ("r1",)


def test_a_snapshot_keeps_the_reports_applied_and_redelivery_after_it_records_nothing(app: LedgersApplication) -> None:
    round_id, first, _ = open_round(app)
    payload = report(round_id, [(first, "completed"), ("not-in-round", "completed")])
    app.process_integration_event(make_envelope(payload, service="units", position=3), payload)
    app.take_snapshot(uuid.UUID(round_id))
    version = len(app.recorder.select_events(uuid.UUID(round_id)))
    assert app.process_integration_event(make_envelope(payload, service="units", position=4), payload) is True
    assert len(app.recorder.select_events(uuid.UUID(round_id))) == version
    loaded = app.repository.get(uuid.UUID(round_id))
    assert list(loaded.reports_applied) == ["rep-1"] and len(loaded.unmatched_reports) == 1
