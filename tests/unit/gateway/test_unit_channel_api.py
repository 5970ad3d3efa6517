"""The units service's lists served from the `unit_channel` (and `unit_portal`) read models: an authorisation
matrix over every list × every demo role × both units, checked against `authz.can_read` row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import authz
from authz import Principal
from tests.api_helpers import Api, embedded_api


def _p(user: str, org: str, kind: str, role: str) -> Principal:
    return Principal(user, user, org, kind, frozenset({role}),
                     group_id=org if kind == "group" else None, unit_id=org if kind == "unit" else None)


PRINCIPALS = {p.user_id: p for p in (
    _p("zhao.unit", "unit-mee", "unit", "unit_liaison"), _p("ma.party", "unit-mee", "unit", "unit_party_group"),
    _p("qian.unit2", "unit-mwr", "unit", "unit_liaison"), _p("li.na", "group-mee", "group", "group_leader"),
    _p("zhou.min", "group-mee", "group", "group_staff"), _p("he.leader2", "group-mwr", "group", "group_leader"),
    _p("zhou.other", "group-mwr", "group", "group_staff"), _p("chen.hq", "hq", "hq", "hq_staff"),
    _p("sun.audit", "audit", "audit", "auditor"), _p("liu.team", "team-3", "inspection_team", "team_leader"),
    _p("xu.team", "team-3", "inspection_team", "team_member"),
)}
# path suffix -> (table, key, the read action of the route)
UNIT_LISTS = {
    "/items": ("channel_items", "item_id", "units.read"),
    "/power-matters": ("channel_matters", "matter_id", "units.read_power"),
    "/consultations": ("channel_consultations", "consultation_id", "units.read"),
    "/announcements": ("channel_announcements", "announcement_id", "units.read"),
    "/submissions": ("unit_portal_submissions", "submission_id", "units.read"),
    "/feedback-drafts": ("channel_drafts", "draft_id", "units.read_draft"),
}
UNIT_DISTRIBUTION = {"/power-matters": "hq", "/feedback-drafts": "group"}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        assert api.post("he.leader2", "/api/units/units", json={
            "group_id": "group-mwr", "unit_id": "unit-mwr", "name": "水利部", "party_group_name": "水利部党组"},
        ).status_code == 201
        assert api.post("qian.unit2", "/api/units/units/unit-mwr/inbound/situation-notices", json={
            "title": "汛期重要情况通报", "category": "other", "summary": "已处置。", "occurred_on": "2025-03-01"},
        ).status_code == 201
        assert api.post("he.leader2", "/api/units/upward", json={
            "group_id": "group-mwr", "kind": "report", "title": "关于水利部党组落实主体责任情况的报告", "body": "报告正文"},
        ).status_code == 201
        api.sync()
        yield api


def rows(api: Api, table: str) -> list[dict[str, Any]]:
    with api.platform.read_db.transaction() as tx:
        columns = [c for c in ("group_id", "unit_id", "distribution")]
        key = {"channel_upward": "upward_id"}.get(table) or next(
            k for t, k, _ in UNIT_LISTS.values() if t == table)
        found = tx.fetchall(f"SELECT {key}, {', '.join(columns)} FROM {table}")
    return [dict(zip(("key", *columns), row, strict=True)) for row in found]


def readable(principal: Principal, row: dict[str, Any]) -> bool:
    return authz.can_read(principal, group_id=row["group_id"], unit_id=row["unit_id"],
                          distribution=row["distribution"])


def every_page(api: Api, user: str, path: str) -> tuple[int, list[dict[str, Any]]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = api.get(user, f"{path}?limit=4" + (f"&cursor={cursor}" if cursor else ""))
        if response.status_code != 200:
            return response.status_code, []
        items.extend(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return 200, items


@pytest.mark.parametrize("suffix", sorted(UNIT_LISTS))
@pytest.mark.parametrize("user", sorted(PRINCIPALS))
def test_each_unit_list_shows_exactly_the_readable_rows_or_the_absence_of_the_unit(
        api: Api, user: str, suffix: str) -> None:
    table, key, action = UNIT_LISTS[suffix]
    principal = PRINCIPALS[user]
    all_rows = rows(api, table)
    for unit_id, group_id in (("unit-mee", "group-mee"), ("unit-mwr", "group-mwr")):
        status, items = every_page(api, user, f"/api/units/units/{unit_id}{suffix}")
        may_list = (principal.has_any(authz.rule_of(action).roles)  # type: ignore[union-attr]
                    and authz.can_read(principal, group_id=group_id, unit_id=unit_id,
                                       distribution=UNIT_DISTRIBUTION.get(suffix, "unit")))
        if not may_list:
            assert status == 404, (user, unit_id, suffix)
            continue
        assert status == 200, (user, unit_id, suffix)
        expected = sorted(r["key"] for r in all_rows if r["unit_id"] == unit_id and readable(principal, r))
        assert sorted(i[key] for i in items) == expected


@pytest.mark.parametrize("user", sorted(PRINCIPALS))
def test_upward_lists_exactly_the_readable_requests_and_reports(api: Api, user: str) -> None:
    principal = PRINCIPALS[user]
    status, items = every_page(api, user, "/api/units/upward")
    if principal.org_kind == "inspection_team":
        assert status == 403
        return
    assert status == 200
    expected = sorted(r["key"] for r in rows(api, "channel_upward") if readable(principal, r))
    assert sorted(i["upward_id"] for i in items) == expected
    if principal.org_kind == "unit":
        assert expected == []  # requests to the commission are not the unit's to see


def test_the_demo_lists_have_rows_and_statuses_from_the_published_steps(api: Api) -> None:
    for suffix in ("/items", "/power-matters", "/consultations", "/announcements", "/submissions",
                   "/feedback-drafts"):
        status, items = every_page(api, "li.na", f"/api/units/units/unit-mee{suffix}")
        assert status == 200 and items, suffix
    _, items = every_page(api, "li.na", "/api/units/units/unit-mee/items")
    for item in items:
        full = api.get("li.na", f"/api/units/items/{item['item_id']}").json()
        assert (item["status"], item["title"], item["deadline"]) == (full["status"], full["title"], full["deadline"])
        assert item["answer_count"] == len(full["answers"])
        assert item["overdue_on"] == full["overdue_on"]
    deadlines = [i["deadline"] for i in items]
    assert deadlines == sorted(deadlines)
    _, matters = every_page(api, "li.na", "/api/units/units/unit-mee/power-matters")
    for matter in matters:
        full = api.get("li.na", f"/api/units/power-matters/{matter['matter_id']}").json()
        assert matter["observation_count"] == len(full["observations"])


@pytest.mark.parametrize("name", ["unit_channel", "unit_portal", "inspection_handoff"])
def test_rebuilt_from_the_stores_twice_the_read_models_are_identical(api: Api, name: str) -> None:
    from projections.common.db import SqliteDatabase
    from runtime.projection_feeds import LogFollower, Reader
    from runtime.projection_runner import ProjectionRunner

    api.sync()
    live = api.platform.runners[name]
    checksum = live.projection.checksum(api.platform.read_db)
    readers: dict[str, Reader] = {service: app.integration_events for service, app in api.platform.apps.items()}
    fresh = ProjectionRunner(type(live.projection)(), SqliteDatabase(":memory:"))
    fresh.setup()
    for _ in range(2):
        fresh.reset()
        follower = LogFollower(fresh, readers, batch=7)  # other batch boundaries than the live one's
        while follower.run_once():
            pass
        assert fresh.projection.checksum(fresh.db) == checksum


def test_feedback_drafts_follow_the_deliberation(api: Api) -> None:
    draft = {"title": "关于加强督察整改的反馈意见", "body": "正文", "counterpart_id": "party-group",
             "deadline": "2027-06-30", "important": True}
    made = api.post("zhang.wei", "/api/units/units/unit-mee/feedback-drafts", json=draft)
    assert made.status_code == 201, made.text
    draft_id = made.json()["draft_id"]

    def row(position: int) -> dict[str, Any]:
        response = api.get("li.na", f"/api/units/units/unit-mee/feedback-drafts?after=units:{position}")
        assert response.json()["freshness"]["stale"] is False
        found: dict[str, Any] = next(i for i in response.json()["items"] if i["draft_id"] == draft_id)
        full = api.get("li.na", f"/api/units/feedback-drafts/{draft_id}").json()
        assert (found["status"], found["revision"], found["opinion_count"]) == (
            full["status"], full["revision"], len(full["opinions"]))
        return found

    assert row(made.json()["position"])["status"] == "draft"
    for user in ("zhang.wei", "zhou.min"):
        done = api.post(user, f"/api/units/feedback-drafts/{draft_id}/opinions", json={"stance": "agree"})
        assert done.status_code == 201, done.text
    assert row(done.json()["position"])["status"] == "deliberated"
    revised = api.post("zhang.wei", f"/api/units/feedback-drafts/{draft_id}/revise",
                       json={"body": "修改后的正文", "important": True, "reason": "吸收意见"})
    assert revised.status_code == 200, revised.text
    again = row(revised.json()["position"])
    assert (again["status"], again["revision"], again["opinion_count"]) == ("draft", 2, 0)
