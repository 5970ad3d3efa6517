"""Requests for information between team and group, with deadlines and overdue events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.common.clock import ManualClock
from services.common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from services.inspections.application import InspectionsApplication
from tests.unit.inspections.conftest import overdue, published


def test_request_and_answer(app: InspectionsApplication, open_round: str) -> None:
    request_id = app.request_information(open_round, "team_to_group", "请提供近三年台账", date(2025, 3, 5))["request_id"]
    app.answer_information(open_round, request_id, "已提供总账、细账")
    [request] = app.get_round(open_round)["requests"]
    assert request["answer"] == "已提供总账、细账"
    assert request["deadline"] == date(2025, 3, 5)
    [envelope] = published(app, "inspections.InformationRequested")
    assert envelope.payload == {"request_id": request_id, "round_id": open_round, "direction": "team_to_group",
                                "deadline": "2025-03-05"}
    assert published(app, "inspections.InformationAnswered")


def test_answering_twice_is_refused(app: InspectionsApplication, open_round: str) -> None:
    request_id = app.request_information(open_round, "group_to_team", "请告知巡视重点", date(2025, 3, 5))["request_id"]
    app.answer_information(open_round, request_id, "重点为生态环境督察执法")
    with pytest.raises(ConflictError) as error:
        app.answer_information(open_round, request_id, "补充")
    assert error.value.code == "already_answered"


def test_unknown_request_is_not_found(app: InspectionsApplication, open_round: str) -> None:
    with pytest.raises(NotFoundError):
        app.answer_information(open_round, "nope", "答复")


def test_requests_need_an_open_round_a_direction_and_a_future_deadline(
    app: InspectionsApplication, round_id: str
) -> None:
    with pytest.raises(ConflictError):
        app.request_information(round_id, "team_to_group", "问题", date(2025, 3, 5))
    app.open_round(round_id)
    with pytest.raises(InvalidInputError) as direction:
        app.request_information(round_id, "sideways", "问题", date(2025, 3, 5))
    assert direction.value.code == "unknown_direction"
    with pytest.raises(InvalidInputError) as past:
        app.request_information(round_id, "team_to_group", "问题", date(2025, 2, 28))
    assert past.value.code == "deadline_in_past"
    with pytest.raises(InvalidInputError):
        app.request_information(round_id, "team_to_group", " ", date(2025, 3, 5))


def test_unanswered_request_becomes_overdue_once(
    app: InspectionsApplication, open_round: str, clock: ManualClock
) -> None:
    late = app.request_information(open_round, "team_to_group", "请提供材料", date(2025, 3, 5))["request_id"]
    answered = app.request_information(open_round, "team_to_group", "请提供名单", date(2025, 3, 5))["request_id"]
    app.answer_information(open_round, answered, "已提供")
    assert overdue(app) == []
    clock.advance(timedelta(days=4))  # 2025-03-05 in Beijing: the deadline day itself is not late
    assert overdue(app) == []
    clock.advance(timedelta(days=1))
    assert overdue(app) == [{"round_id": open_round, "request_id": late}]
    assert overdue(app) == []
    [envelope] = published(app, "inspections.InformationRequestOverdue")
    assert envelope.payload["request_id"] == late
    view = {r["request_id"]: r for r in app.get_round(open_round)["requests"]}
    assert view[late]["overdue"] is True and view[answered]["overdue"] is False


def test_a_late_answer_is_accepted_and_the_overdue_stays(
    app: InspectionsApplication, open_round: str, clock: ManualClock
) -> None:
    request_id = app.request_information(open_round, "group_to_team", "问题", date(2025, 3, 2))["request_id"]
    clock.advance(timedelta(days=3))
    app.check_deadlines()
    app.answer_information(open_round, request_id, "迟复")
    [request] = app.get_round(open_round)["requests"]
    assert request["overdue"] is True and request["answer"] == "迟复"


def test_a_side_cannot_answer_its_own_request(app: InspectionsApplication, open_round: str) -> None:
    request_id = app.request_information(open_round, "team_to_group", "请提供材料", date(2025, 3, 5))["request_id"]
    with pytest.raises(ForbiddenError) as error:
        app.answer_information(open_round, request_id, "自问自答", side="team")
    assert error.value.code == "own_request"
    app.answer_information(open_round, request_id, "已提供", side="group")
