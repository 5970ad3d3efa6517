"""Issue #15 through the API and the portal: an activity planned on a directive's stage is listed under that
directive (the activities list's filter, the directive's page) and the plan form offers the directives and stages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.web.test_more_pages import csrf
from tests.unit.web.test_pages import signed_in

PLAN = {"group_id": "group-mee", "unit_id": "unit-mee", "kind": "tracking", "title": "跟踪监督指示批示方案制定",
        "plan": "调阅方案、个别谈话", "participant_ids": ["li.na", "zhang.wei"], "methods": ["document_review", "talk"],
        "start_on": "2026-04-01", "end_on": "2026-04-30"}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["activity_id"] for a in response.json()["items"]]


def test_an_activity_on_a_directive_stage_is_listed_under_that_directive(api: Api) -> None:
    directives = api.get("li.na", "/api/ledgers/directives?unit_id=unit-mee").json()["items"]
    directive, other = directives[0]["directive_id"], directives[1]["directive_id"]
    planned = api.post("li.na", "/api/inspections/activities", json=PLAN | {"directive_id": directive, "stage": "plan"})
    assert planned.status_code == 201, planned.text
    activity_id = planned.json()["activity_id"]
    refused = api.post("li.na", "/api/inspections/activities", json=PLAN | {"stage": "plan"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "directive_required"
    unknown = api.post("li.na", "/api/inspections/activities", json=PLAN | {"directive_id": directive, "stage": "x"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_stage"
    api.sync()
    shown = api.get("li.na", f"/api/inspections/activities/{activity_id}").json()
    assert (shown["directive_id"], shown["stage"]) == (directive, "plan")

    under = api.get("li.na", f"/api/inspections/activities?directive_id={directive}")
    assert ids(under) == [activity_id] and under.json()["items"][0]["stage"] == "plan"
    assert ids(api.get("li.na", f"/api/inspections/activities?directive_id={directive}&stage=plan")) == [activity_id]
    assert ids(api.get("li.na", f"/api/inspections/activities?directive_id={directive}&stage=execution")) == []
    assert activity_id not in ids(api.get("li.na", f"/api/inspections/activities?directive_id={other}"))
    assert activity_id in ids(api.get("li.na", "/api/inspections/activities?limit=200"))
    assert api.get("li.na", "/api/inspections/activities?stage=gossip").status_code == 422
    assert ids(api.get("chen.hq", f"/api/inspections/activities?directive_id={directive}")) == [activity_id]
    assert ids(api.get("zhou.other", f"/api/inspections/activities?directive_id={directive}")) == []

    leader = signed_in(api, "li.na")
    page = leader.get(f"/group/directives/{directive}")
    assert page.status_code == 200 and 'id="directive-activities"' in page.text
    assert f'href="/group/activities/{activity_id}"' in page.text and PLAN["title"] in page.text
    assert f'href="/group/activities/{activity_id}"' not in leader.get(f"/group/directives/{other}").text
    filtered = leader.get(f"/group/activities?directive={directive}")
    assert filtered.status_code == 200 and f'href="/group/activities/{activity_id}"' in filtered.text
    assert f'href="/group/activities/{activity_id}"' not in leader.get(f"/group/activities?directive={other}").text
    assert leader.get("/group/activities?directive=<b>").status_code == 422
    assert 'id="plan-directive_id"' in filtered.text and 'id="plan-stage"' in filtered.text
    assert f'<option value="{directive}"' in filtered.text


def test_the_plan_form_links_the_activity_and_refuses_a_stage_without_directive(api: Api) -> None:
    directive = api.get("li.na", "/api/ledgers/directives?unit_id=unit-mee").json()["items"][0]["directive_id"]
    leader = signed_in(api, "li.na")
    form = {k: v for k, v in PLAN.items() if k != "group_id"} | {"title": "联合检查执行环节", "csrf_token": csrf(leader),
                                                                 "stage": "execution"}
    refused = leader.post("/group/activities", data=form)
    assert refused.status_code == 422 and "环节须随所监督的指示批示填写" in refused.text
    planned = leader.post("/group/activities", data=form | {"directive_id": directive}, follow_redirects=False)
    assert planned.status_code == 303, planned.text
    activity_id = planned.headers["location"].split("?")[0].rsplit("/", 1)[1]
    api.sync()
    found = api.get("li.na", f"/api/inspections/activities?directive_id={directive}&stage=execution")
    assert ids(found) == [activity_id]
    assert "联合检查执行环节" in leader.get(f"/group/directives/{directive}").text
    shown = leader.get(f"/group/activities/{activity_id}").text
    assert 'id="activity-directive"' in shown and f'href="/group/directives/{directive}"' in shown
    assert "贯彻执行" in shown
