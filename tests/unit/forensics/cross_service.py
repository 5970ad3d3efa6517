"""One case across three services, for the forensic tests: an inspection round (inspections) whose referral
became a clue (clues: accepted, its compartment li.na and zhou.min) and whose finding became a ledger item
(ledgers); next to it, a directive of another group that is no part of the case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from services.common.forensic_log import forensic_log_id
from tests.factories import acting_as
from tests.unit.inspections.conftest import CONTENT

SECRETS = ("王某某", "收受企业礼金", "生态环境部某司")
"""Words of the clue's content: they never leave the clues service in a history."""


def record_case(apps: dict[str, Any], sync: Callable[[], Any]) -> dict[str, str]:
    """The case's ids: round_id, clue_id, finding_id, unrelated (the other group's directive)."""
    app: Any = apps["inspections"]
    today = date(2025, 3, 3)
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        round_id = app.record_round("group-mee", "unit-mee", "巡视", "team-3", ["liu.team"], today,
                                    today, today + timedelta(days=1), today + timedelta(days=30),
                                    today + timedelta(days=31), today + timedelta(days=90))["round_id"]
        app.open_round(round_id)
    with app.acting(acting_as("liu.team", "team-3", "team_leader")):
        app.refer_clue(round_id, **CONTENT)
        finding_id = app.record_finding(round_id, "整改不到位", "描述", "perfunctory", "督察办",
                                        date(2025, 6, 30))["finding_id"]
        app.hand_over_finding(round_id, finding_id)
    sync()
    clues: Any = apps["clues"]
    clue_id = next(e.stream_id for e in clues.integration_events(0, 10_000)[0] if e.type == "clues.ClueRegistered")
    with clues.acting(acting_as("li.na", "group-mee", "group_leader")):
        clues.accept_referral(clue_id, "li.na", ["zhou.min"])
    ledgers: Any = apps["ledgers"]
    with ledgers.acting(acting_as("zhou.other", "group-mwr", "group_staff")):  # not part of the case
        unrelated = ledgers.register_directive(
            group_id="group-mwr", unit_id="unit-mwr", reference_number="水办〔2025〕1号", issuer="国务院",
            title="无关批示", issued_on=date(2025, 3, 1), received_on=date(2025, 3, 2),
            lead_department="办公厅")["directive_id"]
    sync()
    return {"round_id": round_id, "clue_id": clue_id, "finding_id": finding_id, "unrelated": unrelated}


def uses(api: Any, service: str) -> list[tuple[str, str, str, str]]:
    """The forensic uses recorded in a service's store: (user, action, outcome, record)."""
    app = api.platform.apps[service]
    used: list[Any] = [e for e in app.repository.event_store.get(forensic_log_id(service))
                       if type(e).__name__ == "Used"]
    return [(e.actor["user"], e.action, e.outcome, e.record_id) for e in used]
