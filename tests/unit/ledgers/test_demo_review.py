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


def test_demo_shows_one_directive_studied_as_first_agenda_item_in_time_and_one_late() -> None:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    ledgers_demo.seed(Demo(platform, clock))
    app = platform.apps["ledgers"]
    outcomes = {}
    for directive in app.directives("group-mee", "unit-mee", None, False):
        fact = app.get_directive(str(directive.id))["first_agenda"]
        if fact is not None:
            outcomes[directive.reference_number] = (fact.outcome, fact.working_days_after_receipt)
    assert outcomes == {"中办发〔2024〕61号": ("in_time", 1), "国核安发〔2025〕2号": ("late", 8)}
    envelopes, _ = app.integration_events(after=0, limit=10_000)
    assert sorted(e.payload["outcome"] for e in envelopes if e.type == "ledgers.FirstAgendaItemRecorded") == [
        "in_time", "late"]
