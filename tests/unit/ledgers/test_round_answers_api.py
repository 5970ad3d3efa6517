"""The unit answers the scheduling rounds addressed to it through the gateway, under the one authoriser; the
same answers in process and over the service's HTTP interface (issue #15)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest

from authz import Permission, Principal
from services.common.clock import ManualClock
from services.ledgers.application import LedgersApplication
from services.ledgers.interface import (
    GetSchedulingRound,
    OpenSchedulingRound,
    RecordRoundResponse,
    RegisterDirective,
)
from tests.api_helpers import Api, embedded_api
from tests.both_modes import both_modes, outcome

from .test_api import directive

STAFF = Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee",
                  supervised_unit_ids=frozenset({"unit-mee"}))
LIAISON = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")
STRANGER = Principal("qian.unit2", "钱鑫", "unit-mwr", "unit", frozenset({"unit_liaison"}), unit_id="unit-mwr")


def test_the_unit_answers_in_both_modes_and_another_unit_gets_404() -> None:
    app = LedgersApplication(clock=ManualClock(datetime(2025, 3, 3, 1, tzinfo=UTC)))
    for n, (mode, client) in enumerate(both_modes(app).items(), start=1):
        directive_id = client.run(RegisterDirective(
            group_id="group-mee", unit_id="unit-mee", reference_number=f"环办〔2025〕{n}号", issuer="国务院办公厅",
            title="关于加强生态保护的重要指示", issued_on=date(2025, 2, 20), received_on=date(2025, 2, 24),
            lead_department="办公厅"), Permission(STAFF, "ledgers.register_directive")).directive_id
        round_id = client.run(OpenSchedulingRound(
            group_id="group-mee", unit_id="unit-mee", subject="一季度调度", directive_ids=[directive_id],
            respond_by=date(2025, 3, 31)), Permission(STAFF, "ledgers.schedule")).round_id  # type: ignore[arg-type]
        answer = RecordRoundResponse(round_id=round_id, directive_id=directive_id, status="in_progress",
                                     summary="已印发实施方案")
        missing = answer.model_copy(update={"round_id": "6f1c2a4e-6a41-4f43-9a53-70616970687a"})
        def run(operation: Any, who: Principal, client: Any = client) -> Any:
            return client.run(operation, Permission(who, "ledgers.answer_round"))

        assert outcome(partial(run, answer, STRANGER)) == (404, "not_found")
        assert outcome(partial(run, missing, LIAISON)) == (404, "not_found")
        assert outcome(partial(run, answer, LIAISON)) == (200, "ok"), mode
        view = client.run(GetSchedulingRound(round_id=round_id), Permission(LIAISON, "ledgers.read_round"))
        by = view.responses[directive_id]["answered_by"]
        assert (by["side"], by["user"], by["via"]) == ("unit", "zhao.unit", "entered"), mode
        assert view.directives[0].reference_number == f"环办〔2025〕{n}号"


@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def test_the_unit_lists_and_answers_its_rounds_through_the_gateway(api: Api) -> None:
    directive_id = directive(api)
    opened = api.post("zhang.wei", "/api/ledgers/scheduling-rounds", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "subject": "一季度调度", "directive_ids": [directive_id],
        "respond_by": {"basis": "working", "count": 5, "from_date": "2025-03-03"}})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["round_id"]
    path = f"/api/ledgers/scheduling-rounds/{round_id}/responses"
    body: dict[str, Any] = {"directive_id": directive_id, "status": "in_progress", "summary": "已印发实施方案"}
    assert api.post("qian.unit2", path, json=body).status_code == 404
    bad = api.post("zhao.unit", path, json={**body, "status": "almost"})
    assert bad.status_code == 422
    answered = api.post("zhao.unit", path, json=body)
    assert answered.status_code == 201, answered.text
    after = f"ledgers:{answered.json()['position']}"
    rows = api.get("zhao.unit", "/api/ledgers/scheduling-rounds", params={"after": after}).json()["items"]
    assert [r["round_id"] for r in rows] == [round_id]
    assert rows[0]["responses"][directive_id]["answered_by"] == "unit" and rows[0]["missing"] == 0
    assert api.get("qian.unit2", "/api/ledgers/scheduling-rounds", params={"after": after}).json()["items"] == []
    # the group still enters the unit's answer on its behalf (a phone call): recorded as the group's
    entered = api.post("zhang.wei", path, json={**body, "status": "completed", "summary": "电话问询：已完成"})
    assert entered.status_code == 201, entered.text
    view = api.get("zhang.wei", f"/api/ledgers/scheduling-rounds/{round_id}").json()
    assert view["responses"][directive_id]["answered_by"]["side"] == "group"
    assert view["responses"][directive_id]["status"] == "completed"


def test_the_units_progress_report_naming_the_round_feeds_it(api: Api) -> None:
    assert api.post("zhang.wei", "/api/units/units", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "name": "生态环境部", "party_group_name": "部党组"},
    ).status_code == 201
    directive_id = directive(api)
    round_id = api.post("zhang.wei", "/api/ledgers/scheduling-rounds", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "subject": "一季度调度", "directive_ids": [directive_id],
        "respond_by": {"basis": "working", "count": 5, "from_date": "2025-03-03"}}).json()["round_id"]
    path = "/api/units/units/unit-mee/inbound/progress-reports"
    report: dict[str, Any] = {"title": "一季度进展", "subject_ref": "一季度调度", "period": "2025Q1",
                              "summary": "总体按计划推进"}
    no_round = api.post("zhao.unit", path, json={**report, "directive_statuses": [
        {"directive_id": directive_id, "status": "completed"}]})
    assert no_round.status_code == 422 and no_round.json()["error"]["code"] == "round_id_required"
    no_statuses = api.post("zhao.unit", path, json={**report, "round_id": round_id})
    assert no_statuses.status_code == 422
    sent = api.post("zhao.unit", path, json={**report, "round_id": round_id, "directive_statuses": [
        {"directive_id": directive_id, "status": "completed", "summary": "方案已全部落实"}]})
    assert sent.status_code == 201, sent.text
    api.sync()
    api.sync()  # a second pass delivers nothing new
    view = api.get("zhao.unit", f"/api/ledgers/scheduling-rounds/{round_id}").json()
    response = view["responses"][directive_id]
    assert (response["status"], response["summary"]) == ("completed", "方案已全部落实")
    assert response["answered_by"]["via"] == "progress_report"
    assert response["answered_by"]["report_id"] == sent.json()["submission_id"]
    rows = api.get("zhang.wei", "/api/ledgers/scheduling-rounds").json()["items"]
    assert rows[0]["responses"][directive_id]["via"] == "progress_report"
