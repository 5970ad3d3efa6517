"""The unit portal's routes over the demo: an authorisation matrix over every endpoint × every demo role,
paging, read-your-writes and the one-row-per-recommendation to-do list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api

ENDPOINTS = {
    "todo": ("/api/units/portal/todo?state=all", "todo_key", "unit_portal_todo",
             "unit_id || '|' || todo_key"),
    "submissions": ("/api/units/portal/submissions", "submission_id", "unit_portal_submissions", "submission_id"),
    "notified-directives": ("/api/units/portal/notified-directives", "notification_id", "unit_portal_notifications",
                            "notification_id"),
}
# who sees which rows (None: the route refuses the role outright)
ROLES: dict[str, tuple[str, str] | None] = {
    "zhao.unit": ("unit_id", "unit-mee"), "ma.party": ("unit_id", "unit-mee"), "qian.unit2": ("unit_id", "unit-mwr"),
    "li.na": ("group_id", "group-mee"), "wang.qiang": ("group_id", "group-mee"),
    "zhang.wei": ("group_id", "group-mee"), "zhou.min": ("group_id", "group-mee"),
    "he.leader2": ("group_id", "group-mwr"), "zhou.other": ("group_id", "group-mwr"),
    "chen.hq": ("all", ""), "sun.audit": ("all", ""),
    "liu.team": None, "xu.team": None,
}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        # unit-mwr gets a portal of its own: registered by its group, it notifies a directive and gets a request
        assert api.post("he.leader2", "/api/units/units", json={
            "group_id": "group-mwr", "unit_id": "unit-mwr", "name": "水利部", "party_group_name": "水利部党组"},
        ).status_code == 201
        assert api.post("he.leader2", "/api/units/units/unit-mwr/routing", json={
            "counterpart_id": "party-group", "member": "he.leader2", "member_role": "group_leader"},
        ).status_code == 201
        assert api.post("he.leader2", "/api/units/units/unit-mwr/requests", json={
            "kind": "document_request", "title": "调阅水资源管理资料", "body": "请报送。", "counterpart_id": "party-group",
            "deadline": "2027-06-30"}).status_code == 201
        notified = api.post("qian.unit2", "/api/units/units/unit-mwr/inbound/directive-notifications", json={
            "title": "关于实施国家水网建设规划纲要的意见", "reference_number": "中发〔2025〕21号", "issuer": "中共中央",
            "issued_on": "2025-02-01", "received_on": "2025-02-03", "lead_department": "规划计划司"})
        assert notified.status_code == 201, notified.text
        api.sync()
        yield api


def everything(api: Api, endpoint: str) -> list[dict[str, Any]]:
    _path, _key, table, _unique = ENDPOINTS[endpoint]
    db = api.platform.read_db
    with db.transaction() as tx:
        columns = [c for c in ("unit_id", "group_id", "distribution")]
        key = ENDPOINTS[endpoint][1]
        rows = tx.fetchall(f"SELECT {key}, {', '.join(columns)} FROM {table}")
    return [dict(zip((key, *columns), row, strict=True)) for row in rows]


def listed(api: Api, user: str, path: str, limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    """Every page of a list (following next_cursor)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(user, url)
        if response.status_code != 200:
            return response.status_code, response.json()
        body = response.json()
        assert body["freshness"]["stale"] is False
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return 200, items


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("user", sorted(ROLES))
def test_each_role_reads_exactly_the_rows_it_may(api: Api, endpoint: str, user: str) -> None:
    path, key, _table, _unique = ENDPOINTS[endpoint]
    status, items = listed(api, user, path)
    rule = ROLES[user]
    if rule is None:
        assert status == 403 and items["error"]["code"] == "forbidden"  # type: ignore[call-overload]
        return
    assert status == 200
    column, value = rule
    expected = sorted((r["unit_id"], r[key]) for r in everything(api, endpoint) if column == "all" or r[column] == value)
    assert sorted((i["unit_id"], i[key]) for i in items) == expected
    assert expected, "the matrix needs rows to be meaningful"
    if column != "all":  # another organisation's rows do exist, and none was listed
        assert len(everything(api, endpoint)) > len(expected)


@pytest.mark.parametrize("user", ["zhao.unit", "li.na"])
def test_naming_another_unit_gives_an_empty_page_like_an_empty_unit(api: Api, user: str) -> None:
    for path, _key, _table, _unique in ENDPOINTS.values():
        separator = "&" if "?" in path else "?"
        response = api.get(user, f"{path}{separator}unit_id=unit-mwr")
        assert response.status_code == 200 and response.json()["items"] == [], path
        nobody = api.get(user, f"{path}{separator}unit_id=unit-nowhere")
        assert nobody.status_code == 200 and nobody.json()["items"] == []


def test_a_recommendation_is_one_row_however_many_services_announced_it(api: Api) -> None:
    status, items = listed(api, "zhao.unit", "/api/units/portal/todo?state=all&kind=recommendation")
    assert status == 200 and items
    assert len({i["title"] for i in items}) == len(items)
    assert all(i["todo_key"].startswith("recommendation:") for i in items)
    assert max(i["source_count"] for i in items) >= 3  # clues + ledger items + the units item, merged


def test_paging_walks_every_row_once_in_order(api: Api) -> None:
    status, whole = listed(api, "chen.hq", "/api/units/portal/todo?state=all")
    status_paged, paged = listed(api, "chen.hq", "/api/units/portal/todo?state=all", limit=3)
    assert status == status_paged == 200
    assert [(i["unit_id"], i["todo_key"]) for i in paged] == [(i["unit_id"], i["todo_key"]) for i in whole]
    dues = [i["due_on"] or "9999-12-31" for i in whole]
    assert dues == sorted(dues)


def test_bad_paging_or_filters_are_4xx_not_500(api: Api) -> None:
    garbage = api.get("zhao.unit", "/api/units/portal/todo?cursor=bm90LWEtY3Vyc29y")
    assert garbage.status_code == 422 and garbage.json()["error"]["code"] == "invalid_cursor"
    assert api.get("zhao.unit", "/api/units/portal/todo?state=everything").status_code == 422
    assert api.get("zhao.unit", "/api/units/portal/submissions?limit=100000").status_code == 422
    other_sort = api.get("zhao.unit", "/api/units/portal/todo?limit=1&sort=-opened_on").json()["next_cursor"]
    assert api.get("zhao.unit", f"/api/units/portal/todo?cursor={other_sort}").json()["error"]["code"] == "invalid_cursor"


def test_a_new_submission_is_listed_with_read_your_writes_and_reviewing_it_shows(api: Api) -> None:
    submitted = api.post("qian.unit2", "/api/units/units/unit-mwr/inbound/situation-notices", json={
        "title": "汛期重要情况通报", "category": "other", "summary": "某水库出现险情，已处置。", "occurred_on": "2025-03-01"})
    assert submitted.status_code == 201, submitted.text
    receipt = submitted.json()
    response = api.get("qian.unit2", f"/api/units/portal/submissions?after=units:{receipt['position']}")
    assert response.json()["freshness"]["stale"] is False
    row = next(i for i in response.json()["items"] if i["submission_id"] == receipt["submission_id"])
    assert (row["kind"], row["status"]) == ("situation_notice", "received")
    reviewed = api.post("he.leader2", f"/api/units/submissions/{receipt['submission_id']}/review",
                        json={"note": "已阅"})
    assert reviewed.status_code == 200, reviewed.text
    after = api.get("qian.unit2", f"/api/units/portal/submissions?status=reviewed&after=units:{reviewed.json()['position']}")
    assert [i["submission_id"] for i in after.json()["items"]] == [receipt["submission_id"]]


def test_the_notified_directive_shows_the_ledger_entry_it_opened(api: Api) -> None:
    status, items = listed(api, "qian.unit2", "/api/units/portal/notified-directives")
    assert status == 200
    assert [(i["reference_number"], i["opened_loop"]) for i in items] == [("中发〔2025〕21号", True)]
    assert items[0]["directive_id"]
