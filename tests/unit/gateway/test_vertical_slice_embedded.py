"""The vertical slice in embedded mode: staff registers a directive and its first stage; HQ sees it."""

from __future__ import annotations

from typing import Any

from tests.api_helpers import embedded_api

DIRECTIVE: dict[str, Any] = {
    "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中办发〔2025〕3号",
    "issuer": "中共中央办公厅", "title": "关于深入打好污染防治攻坚战的意见", "issued_on": "2025-01-02",
    "received_on": "2025-01-03", "lead_department": "大气环境司", "category": None,
    "tied_to_duties": False,
}
STAGE = {"stage": "relay_study", "done_on": "2025-01-05", "summary": "部党组会议传达学习", "done_by": "部党组",
         "meeting": "部党组会议"}


def test_staff_registers_a_directive_and_hq_sees_it_counted() -> None:
    with embedded_api() as api:
        created = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE)
        assert created.status_code == 201, created.text
        directive_id = created.json()["directive_id"]
        stage = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages", json=STAGE)
        assert stage.status_code == 201, stage.text
        dashboard = api.get("chen.hq", "/api/hq/dashboard", params={"after_ledgers": stage.json()["position"]})
        assert dashboard.status_code == 200
        body = dashboard.json()
        assert body["groups"]["group-mee"] == {"directives": 1, "stages": 1, "relayed": 1, "closed": 0, "overdue": 0,
                                               "closure_rate": 0.0, "median_days_to_close": None,
                                               "open_mismatches": 0}
        # another group sees nothing of it, a unit may not read the HQ dashboard at all
        assert api.get("zhou.other", "/api/hq/dashboard").json()["total_directives"] == 0
        assert api.get("zhao.unit", "/api/hq/dashboard").status_code == 403


def test_bad_input_gets_documented_errors_and_records_nothing() -> None:
    with embedded_api() as api:
        ledgers = api.platform.apps["ledgers"]
        assert api.post(None, "/api/ledgers/directives", json=DIRECTIVE).status_code == 401
        bad_token = api.client.post("/api/ledgers/directives", json=DIRECTIVE,
                                    headers={"Authorization": "Bearer nonsense"})
        assert bad_token.status_code == 401 and bad_token.json()["error"]["code"] == "invalid_token"
        login = api.client.post("/api/session/login", json={"user_id": "zhang.wei", "password": "wrong"})
        assert login.status_code == 401 and login.json()["error"]["code"] == "bad_credentials"

        missing = api.post("zhang.wei", "/api/ledgers/directives", json={"group_id": "group-mee"})
        assert missing.status_code == 422
        assert missing.json()["error"]["code"] == "invalid_input"
        assert {d["field"] for d in missing.json()["error"]["details"]} >= {"title", "issued_on"}

        backwards = api.post("zhang.wei", "/api/ledgers/directives",
                             json={**DIRECTIVE, "received_on": "2024-12-01"})
        assert backwards.status_code == 422 and backwards.json()["error"]["code"] == "received_before_issued"

        not_json = api.post("zhang.wei", "/api/ledgers/directives", content=b"{oops",
                            headers={"Content-Type": "application/json"})
        assert not_json.status_code == 422

        other_group = api.post("zhou.other", "/api/ledgers/directives", json=DIRECTIVE)
        assert other_group.status_code == 403 and other_group.json()["error"]["code"] == "forbidden"
        assert api.post("chen.hq", "/api/ledgers/directives", json=DIRECTIVE).status_code == 403
        # a group records only for the units it is resident in
        not_resident = api.post("zhang.wei", "/api/ledgers/directives", json={**DIRECTIVE, "unit_id": "unit-mwr"})
        assert not_resident.status_code == 403
        assert ledgers.max_position() == 0  # nothing was recorded

        directive_id = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE).json()["directive_id"]
        before = ledgers.max_position()
        skipped = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages",
                           json={**STAGE, "stage": "plan"})
        assert skipped.status_code == 409 and skipped.json()["error"]["code"] == "stage_out_of_order"
        unknown = api.get("zhang.wei", "/api/ledgers/directives/6f1c2a4e-6a41-4f43-9a53-70616970687a")
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
        hidden = api.get("zhou.other", f"/api/ledgers/directives/{directive_id}")
        assert hidden.status_code == 404
        assert api.client.get("/api/nowhere").status_code == 404
        assert ledgers.max_position() == before
        assert "Traceback" not in skipped.text


def test_health_readiness_and_openapi() -> None:
    with embedded_api() as api:
        assert api.client.get("/healthz").json() == {"status": "ok"}
        ready = api.client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"
        paths = api.client.get("/openapi.json").json()["paths"]
        assert "/api/ledgers/directives" in paths and "/api/hq/dashboard" in paths
