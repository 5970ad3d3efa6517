"""The vertical slice in distributed mode: separate processes, over HTTP and Kafka, tokens from an OIDC provider."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.e2e.conftest import Cluster, IdentityProvider

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

GROUP, STAFF = "group-mwr", "zhou.other"


def auth(provider: IdentityProvider, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {provider.token(user)}"}


def test_staff_registers_a_directive_and_hq_sees_it_counted_across_processes(
    cluster: tuple[Cluster, str], identity_provider: IdentityProvider
) -> None:
    _, base = cluster
    http = httpx.Client(base_url=base, timeout=30)
    # the group resident in the Ministry of Water Resources: no other test of the shared cluster writes to it,
    # so HQ's counts for it are this test's alone
    created = http.post("/api/ledgers/directives", headers=auth(identity_provider, STAFF), json={
        "group_id": GROUP, "unit_id": "unit-mwr", "reference_number": "中发〔2025〕5号",
        "issuer": "中共中央", "title": "关于全面推进美丽中国建设的意见", "issued_on": "2025-01-02",
        "received_on": "2025-01-03", "lead_department": "综合司"})
    assert created.status_code == 201, created.text
    directive_id = created.json()["directive_id"]
    stage = http.post(f"/api/ledgers/directives/{directive_id}/stages", headers=auth(identity_provider, STAFF),
                      json={"stage": "relay_study", "done_on": "2025-01-04", "summary": "部党组会议传达学习",
                            "done_by": "部党组"})
    assert stage.status_code == 201, stage.text
    position = stage.json()["position"]

    started = time.monotonic()
    dashboard = http.get("/api/hq/dashboard", params={"after_ledgers": position},
                         headers=auth(identity_provider, "chen.hq"))
    assert dashboard.status_code == 200
    assert dashboard.json()["groups"][GROUP] == {
        "directives": 1, "stages": 1, "relayed": 1, "closed": 0, "overdue": 0, "closure_rate": 0.0,
        "median_days_to_close": None, "open_mismatches": 0}, \
        f"after {time.monotonic() - started:.2f}s: {dashboard.json()}"

    # authentication is the identity provider's: a token it did not sign is refused
    forged = http.get("/api/hq/dashboard", headers={"Authorization": "Bearer " + "x" * 40})
    assert forged.status_code == 401
    # an error of the service process reaches the caller with its code
    skipped = http.post(f"/api/ledgers/directives/{directive_id}/stages", headers=auth(identity_provider, STAFF),
                        json={"stage": "plan", "done_on": "2025-01-04", "summary": "x", "done_by": "y"})
    assert skipped.status_code == 409 and skipped.json()["error"]["code"] == "stage_out_of_order"
    assert http.get("/readyz").status_code == 200
