"""Idempotency-Key on create commands: a retry with the same key returns the first result and records
nothing new; the same key with another body is refused. A client-supplied command id (`X-Command-ID`, a UUID):
the command's events record it as their correlation id, and it is the idempotency key when no `Idempotency-Key`
is sent. In-process and over the services' HTTP server."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from gateway.clients import HttpClient, Services
from gateway.idempotency import correlation_for
from gateway.main import create_app
from runtime.server import create_service_app
from services.common.errors import ConflictError
from tests.api_helpers import Api, embedded_api

TOKEN = "service-token-for-tests"

DIRECTIVE: dict[str, Any] = {
    "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中办发〔2025〕8号",
    "issuer": "中共中央办公厅", "title": "关于加强长江经济带生态环境保护的重要指示", "issued_on": "2025-02-20",
    "received_on": "2025-02-24", "lead_department": "水生态环境司",
}


def over_http(api: Api) -> Api:
    """The same platform, but the gateway reaches each service through its HTTP server (distributed path)."""
    clients = {}
    for name, app in api.platform.apps.items():
        client = HttpClient("http://service", TOKEN)
        client.http = TestClient(create_service_app(app, TOKEN), base_url="http://service")
        clients[name] = client
    runtime = replace(api.platform.gateway_runtime(), services=Services(clients))  # type: ignore[arg-type]
    return Api(api.platform, TestClient(create_app(runtime), raise_server_exceptions=False))


@pytest.fixture(scope="module")
def embedded() -> Iterator[Api]:
    with embedded_api() as embedded:
        response = embedded.post("zhang.wei", "/api/units/units", json={
            "group_id": "group-mee", "unit_id": "unit-mee", "name": "生态环境部", "party_group_name": "部党组"})
        assert response.status_code == 201, response.text
        response = embedded.post("zhang.wei", "/api/units/units/unit-mee/departments",
                                 json={"department_id": "dqs", "name": "大气环境司", "kind": "bureau"})
        assert response.status_code == 201, response.text
        yield embedded


@pytest.fixture(scope="module", params=["in-process", "over-http"])
def api(request: pytest.FixtureRequest, embedded: Api) -> Api:
    return embedded if request.param == "in-process" else over_http(embedded)


def directive(api: Api) -> str:
    reference = f"中办发〔2025〕{uuid.uuid4().int % 10**9}号"
    response = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE | {"reference_number": reference})
    assert response.status_code == 201, response.text
    return str(response.json()["directive_id"])


Create = tuple[str, str, str, Callable[[Api], str], dict[str, Any]]
"""(name, service, user, path given the api, body)"""

CREATES: list[Create] = [
    ("four-list item", "ledgers", "zhang.wei", lambda api: f"/api/ledgers/directives/{directive(api)}/items",
     {"list_kind": "problem", "title": "废矿物油整治敷衍塞责", "owner": "固体废物与化学品司",
      "follower": "zhou.min", "problem_type": "perfunctory",
      "deadline": {"basis": "working", "count": 10, "from_date": "2025-03-03"}}),
    ("clue", "clues", "zhang.wei", lambda api: "/api/clues/clues",
     {"unit_id": "unit-mee", "source": "petition", "subject_name": "王某某", "subject_unit": "固体废物与化学品司",
      "subject_post": "副司长", "key_person": False, "categories": ["integrity"], "summary": "反映收受礼金",
      "assigned": ["zhou.min"], "received_on": "2025-03-03"}),
    ("inbound submission", "units", "zhao.unit", lambda api: "/api/units/units/unit-mee/inbound/progress-reports",
     {"title": "进展", "subject_ref": "x", "period": "2025-03", "summary": "已完成"}),
    ("upward report", "units", "li.na", lambda api: "/api/units/upward",
     {"group_id": "group-mee", "kind": "report", "title": "关于一季度监督情况的报告", "body": "报告正文"}),
    ("consultation", "units", "li.na", lambda api: "/api/units/units/unit-mee/consultations",
     {"kind": "regular", "held_on": "2025-03-03", "topics": ["整改"], "minutes": "会商纪要"}),
    ("unit request", "units", "wang.qiang", lambda api: "/api/units/units/unit-mee/requests",
     {"kind": "document_request", "title": "调阅资料", "body": "请提供会议纪要", "counterpart_id": "dqs",
      "deadline": "2025-04-30"}),
    ("feedback draft", "units", "zhang.wei", lambda api: "/api/units/units/unit-mee/feedback-drafts",
     {"title": "反馈意见", "body": "意见正文", "counterpart_id": "party-group", "deadline": "2025-05-30",
      "important": True}),
]


def recorded_by(api: Api, service: str, user: str) -> int:
    """Events in the service's store that `user` caused (policies and the key's own record aside)."""
    app = api.platform.apps[service]
    count = 0
    for notification in app.recorder.select_notifications(start=1, limit=1_000_000):
        event = app.mapper.to_domain_event(notification)
        if getattr(event, "actor", {}).get("user") == user and "Idempotency" not in type(event).__qualname__:
            count += 1
    return count


@pytest.mark.parametrize("create", CREATES, ids=[c[0] for c in CREATES])
def test_a_create_sent_twice_with_one_key_is_recorded_once(api: Api, create: Create) -> None:
    _, service, user, path_of, body = create
    path = path_of(api)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    before = recorded_by(api, service, user)
    first = api.post(user, path, json=body, headers=dict(key))
    assert first.status_code == 201, first.text
    after_first = recorded_by(api, service, user)
    assert after_first > before
    again = api.post(user, path, json=body, headers=dict(key))
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert recorded_by(api, service, user) == after_first

    changed = next(f for f in ("title", "summary", "minutes") if f in body)
    other = api.post(user, path, json=body | {changed: body[changed] + "（改）"}, headers=dict(key))
    assert other.status_code == 409, other.text
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert recorded_by(api, service, user) == after_first

    without_key = api.post(user, path, json=body)  # no key: a second request is a second record
    assert without_key.status_code == 201, without_key.text
    assert recorded_by(api, service, user) > after_first


def test_a_malformed_key_is_refused(api: Api) -> None:
    response = api.post("li.na", "/api/units/upward", headers={"Idempotency-Key": "x" * 129},
                        json={"group_id": "group-mee", "kind": "report", "title": "报告", "body": "正文"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_idempotency_key"


def test_the_header_is_documented_on_create_routes(embedded: Api) -> None:
    paths = embedded.client.get("/openapi.json").json()["paths"]
    for path in ("/api/units/upward", "/api/clues/clues", "/api/ledgers/directives/{directive_id}/items"):
        assert "Idempotency-Key" in [p["name"] for p in paths[path]["post"].get("parameters", [])], path


UPWARD = {"group_id": "group-mee", "kind": "report", "title": "关于监督情况的报告", "body": "报告正文"}


def test_a_retry_after_the_answer_was_lost_gets_the_first_result(embedded: Api) -> None:
    """The gateway gave up waiting (a timeout) after the service had committed: the retry records nothing."""
    api = over_http(embedded)
    client = next(c for n, c in api.client.app.state.runtime.services.clients.items() if n == "units")
    post = client.http.post

    def answer_lost(*args: Any, **kwargs: Any) -> Any:
        post(*args, **kwargs)  # the service runs and commits ...
        raise httpx.ReadTimeout("the answer never came")  # ... but the gateway never hears it

    key = {"Idempotency-Key": str(uuid.uuid4())}
    before = recorded_by(api, "units", "li.na")
    client.http.post = answer_lost  # type: ignore[method-assign]
    try:
        lost = api.post("li.na", "/api/units/upward", json=UPWARD, headers=dict(key))
    finally:
        client.http.post = post  # type: ignore[method-assign]
    assert lost.status_code == 503, lost.text
    assert recorded_by(api, "units", "li.na") > before
    committed = recorded_by(api, "units", "li.na")
    retry = api.post("li.na", "/api/units/upward", json=UPWARD, headers=dict(key))
    assert retry.status_code == 201, retry.text
    assert recorded_by(api, "units", "li.na") == committed


def test_a_crash_between_commit_and_keeping_the_answer_never_records_twice(
    embedded: Api, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key is committed with the command's events: even when the process dies before it keeps the
    answer, a retry records nothing (it is told the request is recorded, to read it rather than resend)."""
    from services.common.context import CommandContext
    from services.common.idempotency import IdempotencyRecord
    from services.units.interface import SubmitUpward

    class Killed(BaseException):
        pass

    def crash(self: IdempotencyRecord, result: str) -> None:
        raise Killed()

    units = embedded.platform.apps["units"]
    context = CommandContext(actor={"user": "li.na", "org": "group-mee", "role": "group_leader"},
                             idempotency_key=str(uuid.uuid4()))
    operation = SubmitUpward.model_validate(UPWARD)
    before = recorded_by(embedded, "units", "li.na")
    with monkeypatch.context() as patch, units.acting(context):
        patch.setattr(IdempotencyRecord, "answer", crash)
        with pytest.raises(Killed):
            units.execute(operation)
    committed = recorded_by(embedded, "units", "li.na")
    assert committed > before
    with units.acting(context), pytest.raises(ConflictError) as refused:
        units.execute(operation)
    assert refused.value.code == "idempotent_request_in_progress"
    assert recorded_by(embedded, "units", "li.na") == committed


# -- the client-supplied command id ---------------------------------------------------------------------------------
def correlated(api: Api, service: str, command_id: str, user: str = "li.na") -> list[str]:
    """The types of the events in the service's store whose correlation id is the one `user`'s `command_id`
    gives."""
    app, correlation = api.platform.apps[service], correlation_for(user, command_id)
    return [type(event).__qualname__
            for event in map(app.mapper.to_domain_event, app.recorder.select_notifications(start=1, limit=1_000_000))
            if getattr(event, "correlation_id", None) == correlation]


@pytest.mark.parametrize("create", CREATES, ids=[c[0] for c in CREATES])
def test_a_create_sent_twice_with_one_command_id_is_recorded_once_under_that_id(api: Api, create: Create) -> None:
    _, service, user, path_of, body = create
    path = path_of(api)
    command_id = str(uuid.uuid4())
    first = api.post(user, path, json=body, headers={"X-Command-ID": command_id})
    assert first.status_code == 201, first.text
    recorded = recorded_by(api, service, user)
    mine = correlated(api, service, command_id, user)
    assert [t for t in mine if "Idempotency" not in t], "the command's events do not carry its id"

    again = api.post(user, path, json=body, headers={"X-Command-ID": command_id.upper()})  # the same UUID
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert recorded_by(api, service, user) == recorded
    assert correlated(api, service, command_id, user) == mine

    other = api.post(user, path, json=body, headers={"X-Command-ID": str(uuid.uuid4())})  # another command
    assert other.status_code == 201, other.text
    assert recorded_by(api, service, user) > recorded


def test_with_an_idempotency_key_the_key_decides_and_the_id_is_recorded(api: Api) -> None:
    key, first_id, second_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    first = api.post("li.na", "/api/units/upward", json=UPWARD,
                     headers={"Idempotency-Key": key, "X-Command-ID": first_id})
    assert first.status_code == 201, first.text
    recorded = recorded_by(api, "units", "li.na")
    assert [t for t in correlated(api, "units", first_id) if "Idempotency" not in t]
    again = api.post("li.na", "/api/units/upward", json=UPWARD,
                     headers={"Idempotency-Key": key, "X-Command-ID": second_id})
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert recorded_by(api, "units", "li.na") == recorded
    assert correlated(api, "units", second_id) == []


def test_a_command_id_cannot_join_another_users_case(api: Api) -> None:
    """The correlation id is derived from the user and the command id: the same id sent by another user, or the
    correlation id of an existing case sent as a command id, never puts events into that case's history."""
    command_id = str(uuid.uuid4())
    first = api.post("li.na", "/api/units/upward", json=UPWARD, headers={"X-Command-ID": command_id})
    assert first.status_code == 201, first.text
    case = correlation_for("li.na", command_id)
    assert correlated(api, "units", command_id)
    grafting = api.post("zhang.wei", "/api/units/upward", json=UPWARD, headers={"X-Command-ID": case})
    assert grafting.status_code == 201, grafting.text
    assert correlated(api, "units", case, "zhang.wei")  # recorded under its own, derived, correlation id
    app = api.platform.apps["units"]
    joined = [e for e in map(app.mapper.to_domain_event, app.recorder.select_notifications(start=1, limit=1_000_000))
              if getattr(e, "correlation_id", None) == case and "zhang.wei" in str(getattr(e, "actor", ""))]
    assert joined == []


@pytest.mark.parametrize("given", ["not-a-uuid", "x" * 200, "1234"])
def test_a_command_id_that_is_not_a_uuid_is_refused(api: Api, given: str) -> None:
    before = recorded_by(api, "units", "li.na")
    response = api.post("li.na", "/api/units/upward", headers={"X-Command-ID": given}, json=UPWARD)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_command_id"
    assert recorded_by(api, "units", "li.na") == before


def test_a_read_ignores_the_command_id_header(api: Api) -> None:
    response = api.get("li.na", "/api/session/me", headers={"X-Command-ID": "not-a-uuid"})
    assert response.status_code == 200, response.text


def test_the_command_id_header_is_documented_on_create_routes(embedded: Api) -> None:
    paths = embedded.client.get("/openapi.json").json()["paths"]
    for path in ("/api/units/upward", "/api/clues/clues", "/api/ledgers/directives/{directive_id}/items"):
        parameters = {p["name"]: p for p in paths[path]["post"].get("parameters", [])}
        assert parameters["X-Command-ID"]["schema"] == {"type": "string", "format": "uuid"}, path
        assert parameters["X-Command-ID"]["required"] is False
        assert "422" in paths[path]["post"]["responses"], path  # invalid_command_id: documented, the error body
