"""The demo year ends with the group's 2025Q1 quarterly review and its self look-back."""

from __future__ import annotations

from pathlib import Path

from paizhu.demo import DEMO_START, Demo
from paizhu.demo import ledgers as ledgers_demo
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock
from tests.unit.ledgers import read_model as read


def test_demo_records_a_quarterly_review_with_a_self_look_back() -> None:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    ledgers_demo.seed(Demo(platform, clock))
    app = platform.apps["ledgers"]
    [review] = read.reviews(app, group_id="group-mee")
    assert review["quarter"] == "2025Q1" and len(review["follow_ups"]) == 3
    assert review["look_back"]["shortcomings"] and review["look_back"]["measures"]
