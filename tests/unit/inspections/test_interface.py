"""The inspections interface: every operation handled, an honest OpenAPI document, and the same refusal
(status and code) whether the service is called in-process or over its HTTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

import authz
from authz import Permission, Principal
from gateway.accounts import ACCOUNTS
from gateway.auth import principal_from_claims
from gateway.clients import HttpClient, LocalClient
from runtime.server import create_service_app
from services.common.application import operation_of
from services.common.errors import DomainError
from services.common.interface import Operation, Query, operations
from services.inspections import interface as api
from services.inspections.application import InspectionsApplication
from services.inspections.vocab import (
    ACTIVITY_KINDS,
    METHODS,
    PROBLEM_TYPES,
    REQUEST_DIRECTIONS,
    ROUND_STATUSES,
)
from tests.api_helpers import Api, embedded_api
from tests.openapi_checks import enums
from tests.unit.inspections.conftest import CONTENT, round_kwargs

authz.load_rules()


def principal(user_id: str) -> Principal:
    account = ACCOUNTS[user_id]
    return principal_from_claims({"sub": user_id, "org": account.org_id, "roles": list(account.roles)})


# -- every operation has a handler, and every handler an operation ------------------------------------
def test_every_operation_has_a_handler_and_every_handler_an_operation(app: InspectionsApplication) -> None:
    declared = set(operations("inspections").values())
    handled = set(app._handlers)
    assert declared == handled, (declared ^ handled)
    methods = {**app.commands(), **app.queries()}
    assert {name for name, method in methods.items() if operation_of(method.handler) is None} == set()
    for operation in declared:
        assert operation.service == "inspections"
        assert (operation.kind == "query") == issubclass(operation, Query), operation


# -- the OpenAPI document ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gateway() -> Iterator[Api]:
    with embedded_api() as client:
        yield client


@pytest.fixture(scope="module")
def openapi(gateway: Api) -> dict[str, Any]:
    document: dict[str, Any] = gateway.client.get("/openapi.json").json()
    return document


def test_vocabularies_are_enums_with_their_labels(openapi: dict[str, Any]) -> None:
    found = enums(openapi)
    for labels in (PROBLEM_TYPES, ACTIVITY_KINDS, METHODS, REQUEST_DIRECTIONS, ROUND_STATUSES):
        assert list(labels) in found, labels
    schemas = openapi["components"]["schemas"]
    problem_type = schemas["FindingBody"]["properties"]["problem_type"]
    assert problem_type["enum"] == list(PROBLEM_TYPES) and "敷衍塞责" in problem_type["description"]
    assert "kind" in schemas["PlanActivity"]["required"]  # a request field, never the operation's kind
    kind = next(p for p in openapi["paths"]["/api/inspections/activities"]["get"]["parameters"]
                if p["name"] == "kind")
    assert list(ACTIVITY_KINDS) in enums(kind)


def test_every_route_documents_its_errors_and_its_result(openapi: dict[str, Any]) -> None:
    routes = [(path, method, operation) for path, item in openapi["paths"].items()
              if path.startswith("/api/inspections") for method, operation in item.items()]
    assert len(routes) >= 28
    for path, method, operation in routes:
        responses = operation["responses"]
        for status in ("401", "403", "404", "409", "422"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
        success = responses.get("200") or responses["201"]
        assert success["content"]["application/json"]["schema"], (method, path)


# -- the same refusal in-process and over HTTP -----------------------------------------------------------
Runner = Callable[[Operation[Any], str, str | None], Any]


@pytest.fixture
def clients(app: InspectionsApplication) -> Iterator[dict[str, Runner]]:
    local = LocalClient(app)
    remote = HttpClient("http://inspections", token="secret")  # a server without a token refuses every call
    with TestClient(create_service_app(app, token="secret")) as http:
        remote.http = http

        def runner(client: LocalClient | HttpClient) -> Runner:
            def run(operation: Operation[Any], user: str, action: str | None) -> Any:
                return client.run(operation, Permission(principal(user), action))
            return run

        yield {"in-process": runner(local), "http": runner(remote)}


def refusal(run: Runner, operation: Operation[Any], user: str, action: str) -> tuple[int, str]:
    with pytest.raises(DomainError) as error:
        run(operation, user, action)
    return error.value.status, error.value.code


def test_refusals_are_the_same_in_process_and_over_http(
    app: InspectionsApplication, clients: dict[str, Runner]
) -> None:
    round_id = app.record_round(**round_kwargs())["round_id"]
    app.open_round(round_id)
    past = date(2025, 2, 1)
    cases: list[tuple[Operation[Any], str, str, tuple[int, str]]] = [
        (api.GetRound(round_id=round_id), "zhou.other", "inspections.read_round", (404, "not_found")),
        (api.CloseRound(round_id=round_id, summary="结束"), "zhou.other", "inspections.close_round",
         (404, "not_found")),
        (api.GetRound(round_id=round_id), "zhao.unit", "inspections.read_round", (404, "not_found")),
        (api.ReferClue(round_id=round_id, **CONTENT), "zhang.wei", "inspections.refer_clue", (403, "forbidden")),
        (api.HandOverFinding(round_id=round_id, finding_id="f-1"), "xu.team", "inspections.hand_over_finding",
         (403, "forbidden")),
        (api.OpenRound(round_id=round_id), "zhang.wei", "inspections.open_round", (409, "round_not_planned")),
        (api.RecordFinding(round_id=round_id, title="问题", description="描述", problem_type="perfunctory",
                           responsible_department="办公厅", deadline=past),
         "liu.team", "inspections.record_finding", (422, "deadline_in_past")),
        (api.GetRound(round_id="00000000-0000-0000-0000-000000000000"), "zhang.wei", "inspections.read_round",
         (404, "not_found")),
        (api.GetBriefingPackage(round_id=round_id, package_id="nope"), "xu.team",
         "inspections.read_briefing_package", (404, "not_found")),
    ]
    for operation, user, action, expected in cases:
        answers = {mode: refusal(run, operation, user, action) for mode, run in clients.items()}
        assert set(answers.values()) == {expected}, (type(operation).__name__, user, answers)


def test_the_team_sees_its_open_round_in_both_modes_and_loses_it_on_closing(
    app: InspectionsApplication, clients: dict[str, Runner]
) -> None:
    round_id = app.record_round(**round_kwargs())["round_id"]
    get = api.GetRound(round_id=round_id)
    for run in clients.values():
        assert refusal(run, get, "xu.team", "inspections.read_round") == (404, "not_found")  # not open yet
    app.open_round(round_id)
    seen = {mode: run(get, "xu.team", "inspections.read_round").model_dump(mode="json")
            for mode, run in clients.items()}
    assert seen["in-process"] == seen["http"] and seen["http"]["is_open"] is True
    app.close_round(round_id, "结束")
    for run in clients.values():
        assert refusal(run, get, "xu.team", "inspections.read_round") == (404, "not_found")
        assert run(get, "zhou.min", "inspections.read_round")["status"] == "closed"  # the group keeps it


def test_invalid_requests_get_the_aggregates_codes() -> None:
    with pytest.raises(DomainError) as unknown:
        api.FindingBody(title="问题", description="描述", problem_type="bad_luck", responsible_department="办公厅",
                        deadline=date(2025, 6, 30))
    assert (unknown.value.status, unknown.value.code) == (422, "unknown_problem_type")
    with pytest.raises(DomainError) as blank:
        api.CloseBody(summary="  ")
    assert blank.value.code == "summary_required"
    with pytest.raises(DomainError) as members:
        api.MembersBody(member_ids=[])
    assert members.value.code == "members_required"


def test_the_gateway_answers_invalid_requests_with_the_aggregates_codes(gateway: Api) -> None:
    created = gateway.post("zhang.wei", "/api/inspections/rounds", json={
        **{k: str(v) if isinstance(v, date) else v for k, v in round_kwargs().items()}})
    assert created.status_code == 201, created.text
    path = f"/api/inspections/rounds/{created.json()['round_id']}"
    assert gateway.post("zhang.wei", f"{path}/open").status_code == 200
    finding = {"title": "问题", "description": "描述", "problem_type": "bad_luck", "responsible_department": "办公厅",
               "deadline": "2025-06-30"}
    for body, code in ((finding, "unknown_problem_type"), (finding | {"problem_type": "other", "title": " "},
                                                           "title_required")):
        refused = gateway.post("liu.team", f"{path}/findings", json=body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, code), refused.text
    extra = gateway.post("liu.team", f"{path}/findings", json=finding | {"problem_type": "other", "x": 1})
    assert (extra.status_code, extra.json()["error"]["code"]) == (422, "invalid_input")
    listed = gateway.get("zhang.wei", "/api/inspections/activities", params={"kind": "gossip"})
    assert (listed.status_code, listed.json()["error"]["code"]) == (422, "unknown_kind")


def test_an_activity_is_planned_and_read_in_both_modes(clients: dict[str, Runner]) -> None:
    plan = api.PlanActivity(kind="consultation", group_id="group-mee", unit_id="unit-mee", title="季度会商",
                            plan="会商整改进展", participant_ids=["zhang.wei"], methods=["consultation_meeting"],
                            start_on=date(2025, 4, 1), end_on=date(2025, 4, 2))
    planned = {mode: run(plan, "zhang.wei", "inspections.plan_activity").activity_id for mode, run in clients.items()}
    for mode, run in clients.items():  # (listing by kind is the read model's: test_activities)
        found = run(api.GetActivity(activity_id=planned[mode]), "zhang.wei", "inspections.read_activity")
        assert (found.activity_id, found.kind) == (planned[mode], "consultation")
    refused = api.PlanActivity(**plan.model_dump() | {"unit_id": "unit-mwr"})
    for run in clients.values():  # the group plans only in the units it is resident in
        assert refusal(run, refused, "zhang.wei", "inspections.plan_activity") == (403, "forbidden")


def test_a_round_one_may_not_know_answers_exactly_as_a_missing_one(gateway: Api) -> None:
    created = gateway.post("zhang.wei", "/api/inspections/rounds", json={
        **{k: str(v) if isinstance(v, date) else v for k, v in round_kwargs().items()}})
    path = f"/api/inspections/rounds/{created.json()['round_id']}"
    missing = gateway.get("zhang.wei", "/api/inspections/rounds/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    for user, request in (("zhou.other", path), ("xu.team", path), ("zhao.unit", path),
                          ("zhou.other", f"{path}/close")):
        method = gateway.post if request.endswith("/close") else gateway.get
        answer = method(user, request, **({"json": {"summary": "结束"}} if request.endswith("/close") else {}))
        assert (answer.status_code, answer.content) == (404, missing.content), (user, request)
