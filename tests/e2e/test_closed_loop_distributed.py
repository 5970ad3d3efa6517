"""The closed loop (闭环监督) end to end in distributed mode: separate processes, over HTTP and Kafka.

unit notification → ledger → reconciliation → overdue → closure → look-back reopen, with the ledgers
service's own view and the HQ dashboard read model checked at each step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import httpx
import pytest

from tests.e2e.conftest import Cluster, IdentityProvider
from tests.factories import evidence_file, look_back_checks

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

T = TypeVar("T")

NOTIFIED_REF = "环办〔2025〕21号"
REGISTERED_REF = "国办发〔2025〕3号"
REPORTED_ONLY_REF = "环办〔2025〕30号"


def poll(fetch: Callable[[], T], done: Callable[[T], bool], what: str, timeout: float = 30.0) -> T:
    """Fetch until `done` holds (every 0.2 s); fail with the last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f}s; last seen {value!r}")
        time.sleep(0.2)


class Api:
    """The gateway, called as one demo user or another (tokens from the OIDC provider)."""

    def __init__(self, base: str, provider: IdentityProvider) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.provider = provider

    def __call__(self, method: str, path: str, user: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.provider.token(user)}"}
        return self.http.request(method, path, headers=headers, **kwargs)

    def ok(self, method: str, path: str, user: str, status: int = 200, **kwargs: Any) -> Any:
        response = self(method, path, user, **kwargs)
        assert response.status_code == status, f"{method} {path} as {user}: {response.status_code} {response.text}"
        return response.json()

    def dashboard(self, after_ledgers: int | None = None) -> dict[str, Any]:
        """The HQ dashboard read model as HQ sees it; with a position, it must reflect that position."""
        params = {"after_ledgers": after_ledgers} if after_ledgers else {}
        board: dict[str, Any] = self.ok("GET", "/api/hq/dashboard", "chen.hq", params=params)
        if after_ledgers:
            assert board["position"] >= after_ledgers, f"read model behind position {after_ledgers}: {board}"
        return board


def refused(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    if code is not None:
        assert response.json()["error"]["code"] == code, response.text


def test_closed_loop_from_unit_notification_to_look_back_reopen_across_processes(
    cluster: tuple[Cluster, str], identity_provider: IdentityProvider
) -> None:
    _, base = cluster
    api = Api(base, identity_provider)
    # the loop counts and reconciles group-mee's whole master ledger: on the package's shared cluster it runs
    # before any other test writes to it (the first e2e module in pytest's order)
    assert api.ok("GET", "/api/ledgers/directives", "zhang.wei")["items"] == [], "group-mee's ledger is not empty"

    # the group registers the unit it is resident in (a fresh database has no roster)
    api.ok("POST", "/api/units/units", "li.na", 201, json={
        "group_id": "group-mee", "unit_id": "unit-mee", "name": "生态环境部", "party_group_name": "生态环境部党组"})

    # 1. the unit's notification opens the loop: the ledgers' policy (fed from Kafka) registers the directive
    receipt = api.ok("POST", "/api/units/units/unit-mee/inbound/directive-notifications", "zhao.unit", 201, json={
        "title": "关于进一步加强中央生态环境保护督察整改工作的通知", "reference_number": NOTIFIED_REF,
        "issuer": "生态环境部办公厅", "issued_on": "2025-03-01", "received_on": "2025-03-03",
        "lead_department": "督察办"})
    assert receipt["receipt"]["number"]

    def master_ledger() -> dict[str, dict[str, Any]]:
        rows = api.ok("GET", "/api/ledgers/directives", "zhang.wei")["items"]
        return {row["reference_number"]: row for row in rows}

    notified = poll(master_ledger, lambda ledger: NOTIFIED_REF in ledger, "the notified directive in the ledger")
    directive = notified[NOTIFIED_REF]
    assert (directive["group_id"], directive["unit_id"]) == ("group-mee", "unit-mee")
    assert directive["issuer"] == "生态环境部办公厅" and directive["lead_department"] == "督察办"
    assert directive["status"] == "not_started" and directive["notifications"], directive
    directive_id = directive["directive_id"]
    # HQ's dashboard counts the directive the unit's notification opened (projector process, Kafka)
    board = poll(api.dashboard, lambda b: b["groups"].get("group-mee", {}).get("directives") == 1,
                 "the HQ dashboard counting the notified directive")
    assert board["groups"]["group-mee"] == {"directives": 1, "stages": 0, "relayed": 0, "closed": 0, "overdue": 0,
                                            "closure_rate": 0.0, "median_days_to_close": None, "open_mismatches": 0}

    # the group registers a second directive itself and gives the first one its detail-ledger category,
    # whose look-back interval (1 day) the closure below must use
    registered = api.ok("POST", "/api/ledgers/directives", "zhang.wei", 201, json={
        "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": REGISTERED_REF, "issuer": "国务院办公厅",
        "title": "关于加强生态环境分区管控的意见", "issued_on": "2025-02-10", "received_on": "2025-02-12",
        "lead_department": "环评司"})
    assert api.dashboard(registered["position"])["groups"]["group-mee"]["directives"] == 2
    api.ok("POST", "/api/ledgers/groups/group-mee/categories", "li.na", 201, json={
        "code": "central_inspection", "name": "中央生态环境保护督察", "look_back_days": 1})
    api.ok("POST", f"/api/ledgers/directives/{directive_id}/amend", "zhang.wei", json={
        "changes": {"category": "central_inspection"}, "reason": "属督察整改事项，纳入细账"})

    # 2. the unit's supervision report (督查专报) disagrees with the master ledger: reconciliation (对账)
    report = api.ok("POST", "/api/units/units/unit-mee/inbound/supervision-reports", "zhao.unit", 201, json={
        "title": "2025年第一季度督查专报", "period": "2025Q1", "items": [
            {"reference_number": NOTIFIED_REF, "title": "督察整改通知", "status": "completed"},
            {"reference_number": REPORTED_ONLY_REF, "title": "关于开展固体废物排查的通知", "status": "in_progress"},
        ]})
    report_id = report["submission_id"]

    def reconciliation_of_report() -> dict[str, Any] | None:
        rows = api.ok("GET", "/api/ledgers/reconciliations", "zhang.wei")["items"]
        return next((row for row in rows if row["report_id"] == report_id), None)

    reconciliation = poll(reconciliation_of_report, lambda r: r is not None, "the reconciliation of the report")
    assert reconciliation is not None
    assert reconciliation["period"] == "2025Q1" and reconciliation["matched"] == 0
    findings = {f["reference_number"]: f for f in reconciliation["findings"]}
    assert {ref: f["kind"] for ref, f in findings.items()} == {
        NOTIFIED_REF: "status_differs", REPORTED_ONLY_REF: "missing_in_ledger", REGISTERED_REF: "missing_in_report"}
    assert findings[NOTIFIED_REF]["ledger_status"] == "not_started"
    assert findings[NOTIFIED_REF]["reported_status"] == "completed"
    # HQ reads the reconciliation too; the unit does not
    assert api.ok("GET", f"/api/ledgers/reconciliations/{reconciliation['reconciliation_id']}", "chen.hq")[
        "findings"] == reconciliation["findings"]
    refused(api("GET", f"/api/ledgers/reconciliations/{reconciliation['reconciliation_id']}", "zhao.unit"), 404)

    # 3. a problem found in the reconciliation, with a deadline long past: the scheduler records it overdue
    added = api.ok("POST", f"/api/ledgers/directives/{directive_id}/items", "zhang.wei", 201, json={
        "list_kind": "problem", "title": "专报称已完成整改，台账无任何阶段记录", "owner": "督察办",
        "follower": "zhang.wei", "problem_type": "perfunctory",
        "deadline": {"basis": "calendar", "count": 0, "from_date": "2025-06-30"}})
    item_id = added["item_id"]
    api.dashboard(added["position"])  # the projector has consumed the item (a type it does not count)

    def item(user: str = "zhang.wei") -> dict[str, Any]:
        found: dict[str, Any] = api.ok("GET", f"/api/ledgers/items/{item_id}", user)
        return found

    overdue = poll(item, lambda i: i["overdue"], "the scheduler recording the item overdue")
    assert overdue["due_on"] == "2025-06-30" and overdue["status"] == "open"
    assert date.fromisoformat(overdue["overdue_on"]) > date(2025, 6, 30)
    listed = poll(lambda: api.ok("GET", "/api/ledgers/items", "zhang.wei", params={"overdue": True})["items"],
                  lambda rows: bool(rows), "the overdue item in the workbench's list")
    assert [i["item_id"] for i in listed] == [item_id]
    # the unit sees the item addressed to it as overdue, without the group's own notes on it
    seen_by_unit = item("zhao.unit")
    assert seen_by_unit["overdue"] and "follower" not in seen_by_unit and "root_causes" not in seen_by_unit

    # 4. closure (销号): never without evidence, only by group leadership; it schedules the look-back
    refused(api("POST", f"/api/ledgers/items/{item_id}/close", "li.na", json={"summary": "已整改"}),
            422, "closure_needs_evidence")
    # a closure rests on files (content-addressed) or the unit's submissions, never on free text
    evidence = [evidence_file("督察办整改报告（环督〔2025〕41号）"), evidence_file("现场核查记录 2025-07-15")]
    refused(api("POST", f"/api/ledgers/items/{item_id}/close", "zhang.wei",
                json={"summary": "已整改", "evidence_refs": evidence}), 403)
    assert item()["status"] == "open"  # the refusals recorded nothing
    closed = api.ok("POST", f"/api/ledgers/items/{item_id}/close", "li.na",
                    json={"summary": "补记阶段台账，整改到位", "evidence_refs": evidence})
    after_closure = item()
    assert after_closure["status"] == "closed" and after_closure["evidence_refs"] == evidence
    assert after_closure["closure"]["approved_by"] == "li.na"
    closed_on = date.fromisoformat(after_closure["closure"]["closed_on"])
    assert closed["look_back_due_on"] == after_closure["look_back_due_on"] == (closed_on + timedelta(days=1)).isoformat()
    assert api.dashboard(closed["position"])["groups"]["group-mee"]["directives"] == 2
    refused(api("POST", f"/api/ledgers/items/{item_id}/close", "li.na",
                json={"summary": "again", "evidence_refs": [evidence_file("again")]}), 409, "item_closed")

    # 5. look-back (回头看) finds the problem back: staff may not reopen, the group leader does
    look_back = {"findings": "回头看发现阶段台账仍未更新，整改不实", "reopen": True,
                 "checks": look_back_checks(rules="inadequate", quality="inadequate"),
                 "deadline": {"basis": "calendar", "count": 30, "from_date": closed_on.isoformat()}}
    refused(api("POST", f"/api/ledgers/items/{item_id}/look-back", "zhang.wei", json=look_back), 403)
    reopened = api.ok("POST", f"/api/ledgers/items/{item_id}/look-back", "li.na", json=look_back)
    assert reopened["status"] == "open"
    final = item()
    assert final["status"] == "open" and final["reopen_count"] == 1 and final["closure"] is None
    assert final["look_backs"][-1]["outcome"] == "reopened" and final["look_backs"][-1]["similar_checked"]
    assert final["due_on"] == (closed_on + timedelta(days=30)).isoformat() and not final["overdue"]
    assert final["look_back_due_on"] is None
    assert item("zhao.unit")["status"] == "open"  # the unit sees its item back on its list
    board = api.dashboard(reopened["position"])
    assert {k: board["groups"]["group-mee"][k] for k in ("directives", "stages", "relayed")} == {
        "directives": 2, "stages": 0, "relayed": 0}
    reopened_list = poll(lambda: api.ok("GET", "/api/ledgers/items", "zhang.wei", params={"status": "open"})["items"],
                         lambda rows: bool(rows), "the reopened item in the workbench's list")
    assert reopened_list[0]["item_id"] == item_id
