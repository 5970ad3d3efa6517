"""The calendar over HTTP: HQ records a year's arrangement (POST /api/calendar/arrangements), everyone reads it,
other roles are refused, a wrong notice is a 422, never a 500; the clues service learns it through its policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from services.common import workdays
from services.common.clock import ManualClock
from services.common.workdays import Arrangement
from tests.api_helpers import Api, embedded_api

EXAMPLE = Path(__file__).resolve().parents[3] / "calendar" / "2026.toml"
PATH = "/api/calendar/arrangements"


def body() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(Arrangement.from_file(EXAMPLE).as_dict(), default=str))
    return data


@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api(ManualClock(datetime(2025, 12, 10, 1, 0, tzinfo=UTC))) as api:
        yield api


def test_an_official_year_is_refused_with_its_reason(api: Api) -> None:
    response = api.post("chen.hq", PATH, json=body())
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "calendar_official"


def test_hq_records_everyone_reads_the_clues_follow(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)
    assert api.post("zhang.wei", PATH, json=body()).status_code == 403
    assert api.post("zhao.unit", PATH, json=body()).status_code == 403
    recorded = api.post("chen.hq", PATH, json=body())
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["year"] == 2026 and recorded.json()["position"] > 0
    assert api.post("chen.hq", PATH, json=body()).status_code == 409
    for user in ("zhao.unit", "zhang.wei", "liu.team", "sun.audit"):
        shown = api.get(user, PATH)
        assert shown.status_code == 200, (user, shown.text)
        assert [a["year"] for a in shown.json()["arrangements"]] == [2026]
        assert {y["year"]: y["provisional"] for y in shown.json()["years"]}[2026] is False
    api.sync()
    clues = api.platform.apps["clues"]
    assert not clues.working_calendar().provisional(2026)  # learnt from ledgers.CalendarArrangementRecorded


@pytest.mark.parametrize(("change", "code"), [
    ({"holidays": [{"name": "春节", "first_day": "2026-02-15", "last_day": "2026-02-16",
                    "makeup_workdays": ["2026-02-16"]}]}, "calendar_invalid"),
    ({"holidays": [{"name": "春节", "first_day": "2026-02-15", "last_day": "2026-02-16",
                    "makeup_workdays": ["2026-02-17"]}]}, "calendar_invalid"),
    ({"holidays": []}, "invalid_input"),
    ({"year": 3000}, "invalid_input"),
    ({"colour": "red"}, "invalid_input"),
])
def test_a_notice_that_cannot_be_right_is_a_422(
    api: Api, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], code: str
) -> None:
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)
    response = api.post("chen.hq", PATH, json=body() | change)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code


def test_the_group_workbench_shows_the_recomputed_dates(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)
    directive = api.post("zhang.wei", "/api/ledgers/directives", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "环办〔2025〕90号", "issuer": "国务院",
        "title": "关于加强生态环境分区管控的意见", "issued_on": "2025-12-01", "received_on": "2025-12-02",
        "lead_department": "综合司"}).json()["directive_id"]
    working = {"basis": "working", "count": 20, "from_date": "2025-12-15"}  # Monday–Friday: 2026-01-12
    assert api.post("zhang.wei", f"/api/ledgers/directives/{directive}/stage-deadlines",
                    json={"stage": "relay_study", "deadline": working}).status_code == 201
    item = api.post("zhang.wei", f"/api/ledgers/directives/{directive}/items", json={
        "list_kind": "task", "title": "分区管控方案", "owner": "综合司", "follower": "zhou.min",
        "deadline": working}).json()["item_id"]
    round_ = api.post("zhang.wei", "/api/ledgers/scheduling-rounds", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "subject": "年初调度", "directive_ids": [directive],
        "respond_by": working}).json()["round_id"]
    assert api.post("chen.hq", PATH, json=body()).status_code == 201
    api.sync()
    directives = api.get("zhang.wei", "/api/ledgers/directives").json()["items"]
    assert next(d for d in directives if d["directive_id"] == directive)["next_due_on"] == "2026-01-13"
    items = api.get("zhang.wei", "/api/ledgers/items").json()["items"]
    assert next(i for i in items if i["item_id"] == item)["due_on"] == "2026-01-13"
    rounds = api.get("zhang.wei", "/api/ledgers/scheduling-rounds").json()["items"]
    assert next(r for r in rounds if r["round_id"] == round_)["respond_by"] == "2026-01-13"
