from __future__ import annotations

from pathlib import Path

from paizhu.demo import DEMO_START, Demo
from paizhu.demo import units as units_demo
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock
from tests.unit.units.conftest import items_of, published_ids, submissions_of


def test_demo_seed_builds_the_ministry_and_a_year_of_traffic() -> None:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    units_demo.seed(Demo(platform, clock))
    app = platform.apps["units"]
    roster = app.get_unit("unit-mee")  # type: ignore[attr-defined]
    names = {d["name"] for d in roster["departments"]}
    assert {"大气环境司", "水生态环境司", "核设施安全监管司", "生态环境执法局", "办公厅"} <= names
    assert roster["network"]["discipline_secretary"][0]["person_name"] == "周亚平"
    [draft_id] = published_ids(app, {"units.FeedbackDrafted": "draft_id"}, "unit-mee")  # type: ignore[arg-type]
    draft = app.get_feedback_draft(draft_id)  # type: ignore[attr-defined]
    assert draft["status"] == "issued" and draft["revision"] == 2
    assert app.get_item(draft["issued_item_id"])["status"] == "completed"  # type: ignore[attr-defined]
    items = items_of(app, "unit-mee")  # type: ignore[arg-type]
    statuses = {i["kind"]: i for i in items}
    assert any(i["overdue_on"] for i in items)
    assert "document_request" in statuses
    assert len(submissions_of(app, "unit-mee")) >= 10  # type: ignore[arg-type]


def test_demo_shows_the_supervision_of_people() -> None:
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    units_demo.seed(Demo(platform, clock))
    app = platform.apps["units"]
    envelopes, _ = app.integration_events(0, 100_000)
    kinds = {e.type: e for e in envelopes}
    for fact in ("units.ImportantFieldsSet", "units.KeyPersonFlagged", "units.LeaderEvaluated",
                 "units.IntegrityOpinionRequested", "units.IntegrityOpinionReplied"):
        assert fact in kinds, fact
    request, reply = kinds["units.IntegrityOpinionRequested"], kinds["units.IntegrityOpinionReplied"]
    assert reply.payload["request_id"] == request.payload["request_id"]
    assert reply.payload["person_id"] == request.payload["person_id"]
    assert kinds["units.LeaderEvaluated"].distribution == "group" and kinds["units.KeyPersonFlagged"].distribution == "group"
