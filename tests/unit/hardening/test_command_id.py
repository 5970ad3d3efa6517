"""A client-supplied command id (`X-Command-ID`, a UUID) on create commands: the command's events record it as
their correlation id, and it is the command's idempotency key when no `Idempotency-Key` is sent (a retry with
it records nothing new). In-process and over the services' HTTP server."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api_helpers import Api
from tests.unit.hardening.test_idempotency import CREATES, Create, api, embedded, recorded_by  # noqa: F401

UPWARD: dict[str, Any] = {"group_id": "group-mee", "kind": "report", "title": "关于监督情况的报告", "body": "报告正文"}


def correlated(api: Api, service: str, command_id: str) -> list[str]:
    """The types of the events in the service's store whose correlation id is `command_id`."""
    app = api.platform.apps[service]
    return [type(event).__qualname__
            for event in map(app.mapper.to_domain_event, app.recorder.select_notifications(start=1, limit=1_000_000))
            if getattr(event, "correlation_id", None) == command_id]


@pytest.mark.parametrize("create", CREATES, ids=[c[0] for c in CREATES])
def test_a_create_sent_twice_with_one_command_id_is_recorded_once_under_that_id(api: Api, create: Create) -> None:
    _, service, user, path_of, body = create
    path = path_of(api)
    command_id = str(uuid.uuid4())
    first = api.post(user, path, json=body, headers={"X-Command-ID": command_id})
    assert first.status_code == 201, first.text
    recorded = recorded_by(api, service, user)
    mine = correlated(api, service, command_id)
    assert [t for t in mine if "Idempotency" not in t], "the command's events do not carry its id"

    again = api.post(user, path, json=body, headers={"X-Command-ID": command_id.upper()})  # the same UUID
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert recorded_by(api, service, user) == recorded
    assert correlated(api, service, command_id) == mine

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


@pytest.mark.parametrize("given", ["not-a-uuid", "x" * 200, "1234"])
def test_a_command_id_that_is_not_a_uuid_is_refused(api: Api, given: str) -> None:
    before = recorded_by(api, "units", "li.na")
    response = api.post("li.na", "/api/units/upward", headers={"X-Command-ID": given}, json=UPWARD)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_command_id"
    assert recorded_by(api, "units", "li.na") == before


def test_a_read_ignores_the_header(api: Api) -> None:
    response = api.get("li.na", "/api/session/me", headers={"X-Command-ID": "not-a-uuid"})
    assert response.status_code == 200, response.text


def test_the_header_is_documented_on_create_routes(embedded: Api) -> None:  # noqa: F811
    paths = embedded.client.get("/openapi.json").json()["paths"]
    for path in ("/api/units/upward", "/api/clues/clues", "/api/ledgers/directives/{directive_id}/items"):
        parameters = {p["name"]: p for p in paths[path]["post"].get("parameters", [])}
        assert parameters["X-Command-ID"]["schema"] == {"type": "string", "format": "uuid"}, path
        assert parameters["X-Command-ID"]["required"] is False
        assert "422" in paths[path]["post"]["responses"], path  # invalid_command_id: documented, the error body
