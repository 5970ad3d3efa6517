"""Embedded mode: an event a policy cannot handle is dead-lettered once, without content, and the rest goes on."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from paizhu.demo import DEMO_START
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock
from services.inspections.interface import ReferClue
from tests.factories import acting_as
from tests.unit.inspections.conftest import CONTENT

MARK = "zz-MARKED-4f1c9e"
"""A string planted in the refused referral's content: it must surface nowhere."""


def clues_registered(platform: Platform) -> list[str]:
    envelopes, _ = platform.apps["clues"].integration_events(0, 10_000)
    return [json.dumps(e.payload) for e in envelopes if e.type == "clues.ClueRegistered"]


def test_a_referral_the_clues_policy_refuses_is_dead_lettered_once_and_later_ones_go_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused")), clock=ManualClock(DEMO_START),
                        in_memory=True)
    try:
        app = platform.apps["inspections"]
        today = DEMO_START.date()
        with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
            round_id = app.record_round("group-mee", "unit-mee", "巡视", "team-3", ["liu.team"], today,
                                        today, today + timedelta(days=1), today + timedelta(days=30),
                                        today + timedelta(days=31), today + timedelta(days=90))["round_id"]
            app.open_round(round_id)
        with app.acting(acting_as("liu.team", "team-3", "team_leader")):
            # what an older gateway let through: the interface refuses it now, the policy must survive it
            bad = ReferClue.model_construct(round_id=round_id, **(CONTENT | {"categories": [MARK],
                                                                               "summary": f"摘要 {MARK}"}))
            app.refer_clue(bad)
            platform.sync()
            good = app.refer_clue(round_id, **CONTENT)["referral_id"]
        platform.sync()
        platform.sync()  # nothing is retried: the bad referral stays parked once

        assert [p for p in clues_registered(platform) if good in p], "a later referral was not processed"
        assert platform.dead_letters.count("policy:clues") == 1
        with platform.read_db.transaction() as tx:
            rows = tx.fetchall("SELECT event_type, reason FROM dead_letters WHERE projection = 'policy:clues'")
        assert rows[0][0] == "inspections.ClueReferred"
        assert rows[0][1].startswith("InvalidInputError: inspections.ClueReferred")
        assert MARK not in rows[0][1]
        assert MARK not in caplog.text
        assert "dead-lettered" in caplog.text
    finally:
        platform.stop()
