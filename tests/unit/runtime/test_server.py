"""A service's HTTP server on its own (distributed mode: no gateway in the process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

ALONE = """
import authz
from runtime.server import create_service_app
from services.ledgers.application import LedgersApplication

staff = authz.Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee")
create_service_app(LedgersApplication(), None)
assert authz.can(staff, "ledgers.register_directive", authz.Scope(group_id="group-mee"))
"""


def test_the_server_loads_the_permission_rules_it_checks_records_with() -> None:
    # In a process of its own nobody else imports authz.rules_*; without them every permission is refused.
    done = subprocess.run([sys.executable, "-c", ALONE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_an_operation_over_http_answers_its_result_as_json_and_no_string_api_is_left() -> None:
    import json
    from datetime import date

    from fastapi.testclient import TestClient

    from runtime.server import create_service_app
    from services.ledgers.application import LedgersApplication
    from tests.factories import acting_as

    app = LedgersApplication()
    with app.acting(acting_as()):
        directive_id = app.register_directive(
            group_id="group-mee", unit_id="unit-mee", reference_number="环发〔2025〕1号", issuer="生态环境部",
            title="批示件", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3), lead_department="办公厅",
        )["directive_id"]
    staff = {"user_id": "zhang.wei", "name": "张伟", "org_id": "group-mee", "org_kind": "group",
             "roles": ["group_staff"], "group_id": "group-mee", "supervised_unit_ids": ["unit-mee"]}
    client = TestClient(create_service_app(app, "token"))
    headers = {"x-paizhu-service-token": "token", "x-paizhu-principal": json.dumps(staff),
               "x-paizhu-action": "ledgers.read_directive"}
    answer = client.post("/operations/GetDirective", json={"directive_id": directive_id}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["received_on"] == "2025-01-03"
    # the keyword API that named methods by string (and checked no permission) is gone
    gone = client.post("/queries/get_directive", json={"directive_id": directive_id}, headers=headers)
    assert gone.status_code == 404
