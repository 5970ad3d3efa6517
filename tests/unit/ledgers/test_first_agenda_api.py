"""第一议题 over HTTP: recorded with the relay_study stage (422 on bad input), shown on the group workbench's
directive rows and, when late or missed, in HQ's alert list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api

DIRECTIVE: dict[str, Any] = {
    "group_id": "group-mee", "unit_id": "unit-mee", "issuer": "中共中央办公厅", "issued_on": "2025-02-20",
    "received_on": "2025-02-24", "lead_department": "水生态环境司",  # received Monday: due Wednesday 03-05
}


@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def directive(api: Api, n: int) -> str:
    body = DIRECTIVE | {"reference_number": f"中办发〔2025〕{n}号", "title": f"第{n}件重要指示"}
    response = api.post("zhang.wei", "/api/ledgers/directives", json=body)
    assert response.status_code == 201, response.text
    directive_id: str = response.json()["directive_id"]
    return directive_id


def relay(api: Api, directive_id: str, done_on: str, **extra: Any) -> Any:
    return api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages",
                    json={"stage": "relay_study", "done_on": done_on, "summary": "党组会传达学习",
                          "done_by": "部党组", "meeting": "部党组会议"} | extra)


def test_bad_first_agenda_input_is_a_422_and_records_nothing(api: Api) -> None:
    directive_id = directive(api, 1)
    not_a_bool = relay(api, directive_id, "2025-02-26", first_agenda_item="maybe")
    assert not_a_bool.status_code == 422
    before_receipt = relay(api, directive_id, "2025-02-21", first_agenda_item=True)
    assert before_receipt.status_code == 422
    assert before_receipt.json()["error"]["code"] == "studied_before_receipt"
    other_stage = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages",
                           json={"stage": "deployment", "done_on": "2025-02-26", "summary": "部署", "done_by": "部党组",
                                 "skip_reason": "已在上级会议传达", "first_agenda_item": True})
    assert other_stage.status_code == 422 and other_stage.json()["error"]["code"] == "first_agenda_relay_only"
    assert "Traceback" not in other_stage.text
    shown = api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}").json()
    assert shown["stages"] == {} and shown["first_agenda"] is None


def test_late_and_missed_are_hq_alerts_and_every_outcome_is_on_the_workbench_row(api: Api) -> None:
    in_time, late, missed = directive(api, 1), directive(api, 2), directive(api, 3)
    assert relay(api, in_time, "2025-03-05", first_agenda_item=True).status_code == 201
    assert relay(api, late, "2025-03-06", first_agenda_item=True).status_code == 201
    last = relay(api, missed, "2025-02-25", first_agenda_item=False)
    assert last.status_code == 201, last.text
    after = {"after": f"ledgers:{last.json()['position']}"}

    alerts = api.get("chen.hq", "/api/hq/alerts", params=after)
    assert alerts.status_code == 200, alerts.text
    first_agenda = sorted((a["kind"], a["record_id"], a["due_on"], a["detected_on"])
                          for a in alerts.json()["items"] if a["kind"].startswith("first_agenda"))
    assert first_agenda == sorted([("first_agenda_late", late, "2025-03-05", "2025-03-06"),
                                   ("first_agenda_missed", missed, "2025-03-05", "2025-02-25")])

    rows = api.get("zhang.wei", "/api/ledgers/directives", params=after)
    assert rows.status_code == 200, rows.text
    facts = {r["directive_id"]: r["first_agenda"] for r in rows.json()["items"]}
    assert {d: (f["outcome"], f["working_days_after_receipt"], f["first_agenda_item"])
            for d, f in facts.items()} == {in_time: ("in_time", 7, True), late: ("late", 8, True),
                                           missed: ("missed", 1, False)}
    assert facts[late]["threshold_working_days"] == 7 and facts[late]["due_on"] == "2025-03-05"
    # the read model says what the service says
    assert api.get("zhang.wei", f"/api/ledgers/directives/{late}").json()["first_agenda"] == facts[late]


def test_a_withdrawn_directive_leaves_the_alert_list(api: Api) -> None:
    late = directive(api, 2)
    relay(api, late, "2025-03-06", first_agenda_item=True)
    withdrawn = api.post("zhang.wei", f"/api/ledgers/directives/{late}/withdraw", json={"reason": "重复登记"})
    assert withdrawn.status_code == 200, withdrawn.text
    alerts = api.get("chen.hq", "/api/hq/alerts", params={"after": f"ledgers:{withdrawn.json()['position']}"})
    assert [a for a in alerts.json()["items"] if a["record_id"] == late] == []
