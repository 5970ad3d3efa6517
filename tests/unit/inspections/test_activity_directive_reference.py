"""Issue #15: the directive a supervision activity names is checked at the gateway on the group workbench read
model: a directive of the caller's group; another group's is refused exactly like one that does not exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api

PLAN = {"group_id": "group-mee", "unit_id": "unit-mee", "kind": "tracking", "title": "跟踪监督指示批示方案制定",
        "plan": "调阅方案、个别谈话", "participant_ids": ["li.na", "zhang.wei"], "methods": ["document_review", "talk"],
        "start_on": "2025-04-01", "end_on": "2025-04-30"}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def directive(api: Api, user: str, group: str, unit: str) -> str:
    found = ok(api.post(user, "/api/ledgers/directives", json={
        "group_id": group, "unit_id": unit, "reference_number": f"{unit}〔2025〕5号", "issuer": "中共中央办公厅",
        "title": "关于加强生态环境保护的重要指示", "issued_on": "2025-02-20", "received_on": "2025-02-24",
        "lead_department": "办公厅"}), 201)
    return str(found["directive_id"])


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        for group, unit, name, user in (("group-mee", "unit-mee", "生态环境部", "zhang.wei"),
                                        ("group-mwr", "unit-mwr", "水利部", "zhou.other")):
            ok(api.post(user, "/api/units/units", json={"group_id": group, "unit_id": unit, "name": name,
                                                        "party_group_name": "部党组"}), 201)
        yield api


def test_another_groups_directive_is_refused_like_a_missing_one(api: Api) -> None:
    ours = directive(api, "zhang.wei", "group-mee", "unit-mee")
    theirs = directive(api, "zhou.other", "group-mwr", "unit-mwr")
    api.sync()
    answers = [api.post("li.na", "/api/inspections/activities", json=PLAN | {"directive_id": d, "stage": "plan"})
               for d in (theirs, "no-such-directive")]
    assert [a.status_code for a in answers] == [422, 422]
    errors = [a.json()["error"] for a in answers]
    assert {e["code"] for e in errors} == {"unknown_directive"}
    assert [e["details"] for e in errors] == [[{"field": "directive_id", "problem": e["message"]}] for e in errors]
    assert errors[0]["message"].replace(theirs, "X") == errors[1]["message"].replace("no-such-directive", "X")
    planned = ok(api.post("li.na", "/api/inspections/activities", json=PLAN | {"directive_id": ours, "stage": "plan"}),
                 201)
    assert ok(api.get("li.na", f"/api/inspections/activities/{planned['activity_id']}"))["directive_id"] == ours
    # another group's member planning for this group: the service's answer, with or without a directive
    stranger = [api.post("zhou.other", "/api/inspections/activities", json=PLAN | extra).status_code
                for extra in ({}, {"directive_id": ours, "stage": "plan"}, {"directive_id": theirs, "stage": "plan"})]
    assert len(set(stranger)) == 1 and stranger[0] in (403, 404)
