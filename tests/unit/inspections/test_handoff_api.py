"""The inspection handoff through the gateway: a team reads its frozen package before its round opens, follows
its findings' rectification after the round closes until each is closed — and nothing else; lists paged from
the read model; who sees which rectification items; HQ's figures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.inspections.test_api import ROUND

FINDING = {"title": "整改不到位", "description": "督察反馈问题整改滞后", "problem_type": "perfunctory",
           "responsible_department": "督察办", "deadline": "2025-06-30"}
ROLES_WITHOUT_HANDOFF = ("zhao.unit", "ma.party", "qian.unit2")


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as client:
        yield client


def items(api: Api, user: str, path: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(user, path, params=params)
    assert response.status_code == 200, response.text
    assert response.json()["freshness"]["stale"] is False
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def test_the_team_follows_its_round_from_the_frozen_package_to_the_last_closed_finding(api: Api) -> None:
    round_id = api.post("zhang.wei", "/api/inspections/rounds", json=ROUND | {"member_ids": ["xu.team"]}).json()[
        "round_id"]
    path = f"/api/inspections/rounds/{round_id}"
    # before the round opens: no round for the team, no package yet
    assert round_id not in [r["round_id"] for r in items(api, "xu.team", "/api/inspections/rounds")]
    assert items(api, "xu.team", "/api/inspections/handoff/packages", round_id=round_id) == []
    api.sync()
    frozen = api.post("zhang.wei", f"{path}/briefing-packages")
    assert frozen.status_code == 201, frozen.text
    package_id = frozen.json()["package_id"]
    api.sync()
    # frozen: its team member reads it at once, before the round opens; a team member not in the round does not
    [package] = items(api, "xu.team", "/api/inspections/handoff/packages", round_id=round_id)
    assert (package["package_id"], package["status"]) == (package_id, "planned")
    dossier = api.get("xu.team", f"/api/inspections/handoff/packages/{package_id}")
    assert dossier.status_code == 200, dossier.text
    assert dossier.json()["item"]["verified"] is True
    assert dossier.json()["item"]["package"]["content_hash"] == frozen.json()["content_hash"]
    assert items(api, "liu.team", "/api/inspections/handoff/packages", round_id=round_id) == []
    missing = api.get("liu.team", f"/api/inspections/handoff/packages/{package_id}")
    absent = api.get("liu.team", "/api/inspections/handoff/packages/no-such-package")
    assert missing.status_code == absent.status_code == 404 and missing.json() == absent.json()
    # open: the team sees the round; the items addressed to the unit are not the team's while the round runs
    assert api.post("zhang.wei", f"{path}/open").status_code == 200
    assert round_id in [r["round_id"] for r in items(api, "xu.team", "/api/inspections/rounds")]
    ids = []
    for title in ("整改不到位", "台账不实"):
        finding_id = api.post("xu.team", f"{path}/findings", json=FINDING | {"title": title}).json()["finding_id"]
        assert api.post("zhang.wei", f"{path}/findings/{finding_id}/hand-over").status_code == 200
        ids.append(finding_id)
    api.sync()
    assert items(api, "xu.team", "/api/inspections/rectification-items", round_id=round_id) == []
    # closed: the round, its records and its package are gone for the team...
    assert api.post("zhang.wei", f"{path}/close", json={"summary": "巡视结束"}).status_code == 200
    api.sync()
    assert round_id not in [r["round_id"] for r in items(api, "xu.team", "/api/inspections/rounds")]
    assert api.get("xu.team", path).status_code == 404
    assert items(api, "xu.team", "/api/inspections/handoff/packages") == []
    assert api.get("xu.team", f"/api/inspections/handoff/packages/{package_id}").status_code == 404
    assert api.get("xu.team", "/api/inspections/units/unit-mee/rectification-items").status_code == 404
    assert api.get("xu.team", "/api/inspections/activities").status_code == 403
    # ...but it follows the rectification of its own findings, read-only, until each is closed
    followed = items(api, "xu.team", "/api/inspections/rectification-items", round_id=round_id)
    assert sorted(i["item_id"] for i in followed) == sorted(ids)
    assert all(i["progress_count"] == 0 and not i["completed"] for i in followed)
    assert items(api, "liu.team", "/api/inspections/rectification-items", round_id=round_id) == []
    progress = api.post("zhang.wei", f"{path}/items/{ids[0]}/progress", json={"summary": "已整改", "completed": True})
    assert progress.status_code == 201, progress.text
    assert api.post("xu.team", f"{path}/items/{ids[1]}/progress", json={"summary": "x"}).status_code == 403  # read-only
    api.sync()
    [still] = items(api, "xu.team", "/api/inspections/rectification-items", round_id=round_id)
    assert still["item_id"] == ids[1]
    group_view = {i["item_id"]: i for i in items(api, "zhang.wei", "/api/inspections/rectification-items",
                                                 round_id=round_id)}
    assert group_view[ids[0]]["completed"] is True and group_view[ids[0]]["progress_count"] == 1


@pytest.mark.parametrize("user, sees", [
    ("zhao.unit", {"unit-mee"}), ("ma.party", {"unit-mee"}), ("qian.unit2", set()), ("zhang.wei", {"unit-mee"}),
    ("li.na", {"unit-mee"}), ("he.leader2", set()), ("zhou.other", set()), ("chen.hq", {"unit-mee"}),
    ("sun.audit", {"unit-mee"}), ("liu.team", set()),
])
def test_who_reads_which_rectification_items(api: Api, user: str, sees: set[str]) -> None:
    round_id = api.post("zhang.wei", "/api/inspections/rounds", json=ROUND).json()["round_id"]
    assert api.post("zhang.wei", f"/api/inspections/rounds/{round_id}/open").status_code == 200
    finding_id = api.post("liu.team", f"/api/inspections/rounds/{round_id}/findings", json=FINDING).json()[
        "finding_id"]
    assert api.post("liu.team", f"/api/inspections/rounds/{round_id}/findings/{finding_id}/hand-over",
                    ).status_code == 200
    api.sync()
    listed = items(api, user, "/api/inspections/rectification-items")
    assert {i["unit_id"] for i in listed} == sees
    assert (finding_id in {i["item_id"] for i in listed}) == bool(sees)


def test_a_unit_asking_for_another_units_items_gets_the_missing_records_answer(api: Api) -> None:
    other = api.get("zhao.unit", "/api/inspections/units/unit-mwr/rectification-items")
    nowhere = api.get("zhao.unit", "/api/inspections/units/unit-nowhere/rectification-items")
    assert other.status_code == nowhere.status_code == 404 and other.content == nowhere.content
    assert api.get("zhao.unit", "/api/inspections/units/unit-mee/rectification-items").status_code == 200


@pytest.mark.parametrize("user", ROLES_WITHOUT_HANDOFF)
def test_units_have_no_packages_and_no_hq_figures(api: Api, user: str) -> None:
    assert api.get(user, "/api/inspections/handoff/packages").status_code == 403
    assert api.get(user, "/api/hq/rectification").status_code == 403


def test_hq_rectification_counts_what_each_reader_may_read(api: Api) -> None:
    round_id = api.post("zhang.wei", "/api/inspections/rounds", json=ROUND).json()["round_id"]
    path = f"/api/inspections/rounds/{round_id}"
    assert api.post("zhang.wei", f"{path}/open").status_code == 200
    before = {(r["group_id"], r["unit_id"]): r for r in
              api.get("chen.hq", "/api/hq/rectification").json()["item"]["rectification"]}
    base = before.get(("group-mee", "unit-mee"), {"items": 0, "completed": 0, "open": 0, "completed_in_time": 0})
    ids = [api.post("liu.team", f"{path}/findings", json=FINDING | {"title": f"问题{n}"}).json()["finding_id"]
           for n in range(3)]
    for finding_id in ids:
        assert api.post("liu.team", f"{path}/findings/{finding_id}/hand-over").status_code == 200
    done = api.post("zhang.wei", f"{path}/items/{ids[0]}/progress", json={"summary": "已整改", "completed": True})
    response = api.get("chen.hq", f"/api/hq/rectification?after=inspections:{done.json()['position']}")
    assert response.status_code == 200 and response.json()["freshness"]["stale"] is False
    figures = {(r["group_id"], r["unit_id"]): r for r in response.json()["item"]["rectification"]}
    mee = figures[("group-mee", "unit-mee")]
    assert mee["items"] - base["items"] == 3
    assert mee["completed"] - base["completed"] == 1
    assert mee["completed_in_time"] - base["completed_in_time"] == 1  # done on 2025-03-03, due 2025-06-30
    assert mee["open"] - base["open"] == 2
    assert api.get("li.na", "/api/hq/rectification").json()["item"]["rectification"] == [mee]
    other = api.get("he.leader2", "/api/hq/rectification").json()["item"]
    assert other == {"rectification": [], "feedback": []}
