"""The inspections demo seed: a completed round with an overdue item, a round in progress, three pinpoint studies."""

from __future__ import annotations

from pathlib import Path

from paizhu.demo import DEMO_START, Demo
from paizhu.demo.inspections import seed
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock
from tests.unit.inspections.conftest import handoff_lists


def test_demo_seed_tells_the_story() -> None:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    try:
        seed(Demo(platform, clock))
        app = platform.apps["inspections"]
        rounds = {r["status"]: app.get_round(r["round_id"]) for r in handoff_lists(app)["rounds"]}
        completed, in_progress = rounds["closed"], rounds["open"]
        assert completed["unit_id"] == "unit-mee" and completed["team_id"] == "team-3"
        assert len(completed["packages"]) == 1 and len(completed["referrals"]) == 2
        assert [f["overdue"] for f in completed["findings"]].count(True) == 1
        assert all(f["status"] == "handed_over" for f in completed["findings"])
        assert completed["look_backs"]
        assert in_progress["is_open"] and in_progress["member_ids"] == ["liu.team", "xu.team"]
        titles = {a["title"] for a in handoff_lists(app, kind="pinpoint")["activities"]}
        assert titles == {"长江沿线废矿物油整治", "黄河流域生态环境突出问题整治", "木里矿区生态修复整治"}
    finally:
        platform.stop()
