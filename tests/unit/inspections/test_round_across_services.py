"""A round across services on the embedded platform: referrals become clues, findings become ledger items."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from paizhu.demo import DEMO_START
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock
from tests.factories import acting_as
from tests.unit.inspections.conftest import CONTENT


def test_referral_and_finding_reach_clues_and_ledgers_once() -> None:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused")), clock=clock, in_memory=True)
    try:
        app = platform.apps["inspections"]
        today = DEMO_START.date()
        with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
            round_id = app.record_round("group-mee", "unit-mee", "巡视", "team-3", ["liu.team"], today,
                                        today, today + timedelta(days=1), today + timedelta(days=30),
                                        today + timedelta(days=31), today + timedelta(days=90))["round_id"]
            app.open_round(round_id)
        with app.acting(acting_as("liu.team", "team-3", "team_leader")):
            referral_id = app.refer_clue(round_id, **CONTENT)["referral_id"]
            item_id = app.record_finding(round_id, "整改不到位", "描述", "perfunctory", "督察办",
                                         date(2025, 6, 30))["finding_id"]
            app.hand_over_finding(round_id, item_id)
        platform.sync()
        platform.sync()  # a second pass delivers nothing new: each hand-off is recorded once
        for service, marker in (("clues", referral_id), ("ledgers", item_id)):
            envelopes, _ = platform.apps[service].integration_events(0, 10_000)
            hits = [e for e in envelopes if marker in json.dumps(e.payload)]
            assert hits, f"{service} did not react to the hand-off"
            assert "王某某" not in "".join(e.to_bytes().decode() for e in envelopes)
        clue_events = [e for e in platform.apps["clues"].integration_events(0, 10_000)[0]
                       if e.type == "clues.ClueRegistered" and referral_id in json.dumps(e.payload)]
        assert len(clue_events) == 1
    finally:
        platform.stop()
