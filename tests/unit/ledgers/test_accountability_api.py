"""Accountability over HTTP: staff propose, leadership records the decision, HQ reads, the unit never sees it;
the workbench list shows it on the directive and on each item concerned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.ledgers.test_api import DIRECTIVE, item


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def directive(api: Api, reference: str) -> str:
    created = ok(api.post("zhang.wei", "/api/ledgers/directives", json={**DIRECTIVE, "reference_number": reference}),
                 201)
    return str(created["directive_id"])


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def test_proposed_on_an_item_decided_by_leadership_and_listed_on_the_directive_and_item(api: Api) -> None:
    directive_id = directive(api, "中办发〔2025〕8号")
    failed, other = item(api, directive_id), item(api, directive_id)
    body = {"item_ids": [failed], "person_id": "post-gao", "form": "admonishment",
            "failed_duty": "整治敷衍塞责，逾期未完成", "grounds": "督办两次仍未整改"}
    assert api.post("zhao.unit", f"/api/ledgers/directives/{directive_id}/accountability",
                    json=body).status_code == 404  # the unit may not know the directive's ledger
    bad = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/accountability",
                   json={**body, "form": "dismissal"})
    assert bad.status_code == 422
    proposed = ok(api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/accountability", json=body), 201)
    path = f"/api/ledgers/accountability/{proposed['accountability_id']}"
    decision = {"outcome": "decided", "form": "notification", "decided_by_body": "部党组",
                "decided_on": "2025-03-03"}
    assert api.post("zhang.wei", f"{path}/decision", json=decision).status_code == 403  # staff may not
    decided = ok(api.post("li.na", f"{path}/decision", json=decision))
    assert api.post("li.na", f"{path}/decision", json=decision).status_code == 409
    assert ok(api.get("chen.hq", path))["decision"]["form"] == "notification"
    assert api.get("zhao.unit", path).status_code == 404
    after = {"after": f"ledgers:{decided['position']}"}
    on_item = ok(api.get("li.na", "/api/ledgers/accountability", params={**after, "item_id": failed}))["items"]
    assert [(r["person_id"], r["proposed_form"], r["decided_form"], r["status"]) for r in on_item] == [
        ("post-gao", "admonishment", "notification", "decided")]
    assert ok(api.get("li.na", "/api/ledgers/accountability", params={**after, "item_id": other}))["items"] == []
    on_directive = ok(api.get("chen.hq", "/api/ledgers/accountability",
                              params={**after, "directive_id": directive_id}))["items"]
    assert [r["item_ids"] for r in on_directive] == [[failed]]
    assert api.get("zhao.unit", "/api/ledgers/accountability", params=after).status_code == 403


def test_hq_counts_accountability_per_group_by_form_and_the_unit_may_not(api: Api) -> None:
    directive_id = directive(api, "中办发〔2025〕9号")
    items = [item(api, directive_id) for _ in range(3)]
    ids = []
    for index, item_id in enumerate(items):
        body = {"item_ids": [item_id], "person_id": f"person-{index}", "form": "notification",
                "failed_duty": "逾期未整改", "grounds": "督办未落实"}
        ids.append(ok(api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/accountability", json=body),
                      201)["accountability_id"])
    ok(api.post("li.na", f"/api/ledgers/accountability/{ids[0]}/decision",
                json={"outcome": "decided", "form": "disciplinary_sanction", "decided_by_body": "部党组",
                      "decided_on": "2025-03-03"}))
    last = ok(api.post("li.na", f"/api/ledgers/accountability/{ids[1]}/decision",
                       json={"outcome": "not_pursued", "decided_by_body": "部党组", "decided_on": "2025-03-03",
                             "note": "情节轻微，已整改"}))
    after = {"after": f"ledgers:{last['position']}"}
    before = {row["group_id"]: row for row in ok(api.get("chen.hq", "/api/ledgers/accountability-figures",
                                                         params=after))}
    mee = before["group-mee"]
    assert mee["decided_by_form"].get("disciplinary_sanction", 0) >= 1 and mee["not_pursued"] >= 1
    assert mee["proposed"] == mee["pending"] + mee["decided"] + mee["not_pursued"]
    assert mee["pending"] >= 1
    assert api.get("zhao.unit", "/api/ledgers/accountability-figures").status_code == 403
    assert ok(api.get("zhou.other", "/api/ledgers/accountability-figures", params=after)) == []
