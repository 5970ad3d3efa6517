"""The demo scenario's clues: one in every state, on the demo clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from events.sealed import generate_keypair
from paizhu.demo import Demo
from paizhu.demo.clues import seed
from services.clues.application import CluesApplication
from services.common.clock import ManualClock
from tests.unit.clues.conftest import clues_of, recommendations_of


@dataclass
class OnlyClues:
    apps: dict[str, Any] = field(default_factory=dict)

    def sync(self) -> None:
        return None


def test_demo_has_clues_in_every_state_and_reads_recorded() -> None:
    clock = ManualClock(datetime(2025, 1, 6, 1, 30, tzinfo=UTC))
    app = CluesApplication(env={"CLUES_SEALING_PRIVATE_KEY": generate_keypair()[0]}, clock=clock)
    platform = OnlyClues({"clues": app})
    seed(Demo(platform, clock))  # type: ignore[arg-type]
    clues = clues_of(app, "group-mee", "li.na")
    statuses = {c["status"] for c in clues}
    assert statuses >= {"registered", "proposed", "inquiry", "verifying", "held", "responded", "case_filed", "closed"}
    assert any(c["overdue"] == ["inquiry_reply"] for c in clues)
    assert any(c["joint_screening_open"] for c in clues)
    recommendations = {r["status"] for r in recommendations_of(app, "group-mee", "group")}
    assert recommendations == {"issued", "closed"}
    readers = {r["reader"] for c in clues for r in app.list_disclosures(c["clue_id"])}
    assert readers == {"li.na", "zhou.min", "zhao.unit"}
    envelopes, _ = app.integration_events(0, 10_000)
    text = "".join(e.to_bytes().decode() for e in envelopes)
    assert "欧阳致远" not in text and "范立群" not in text
