"""The briefing package: folded from the history as of stated positions, frozen with its hash, rebuilt identically."""

from __future__ import annotations

from datetime import date

import pytest

from events.envelope import Envelope
from events.inspections import ClueHandedOver
from events.ledgers import DirectiveRegistered, DirectiveStageRecorded
from events.units import RectificationReported
from projections.common.db import SqliteDatabase
from projections.inspection_handoff.package import build_package, package_hash
from projections.inspection_handoff.projection import InspectionHandoff
from projections.inspection_handoff.view import InspectionHandoffView
from runtime.projection_runner import Item, ProjectionRunner
from services.common.errors import ConflictError, InvalidInputError
from services.inspections.application import InspectionsApplication
from tests.factories import make_envelope
from tests.unit.inspections.conftest import published

ROUND = "round-1"


def clue_registered(clue_id: str, position: int, unit_id: str = "unit-mee") -> Envelope:
    """A clue event as the clues service publishes it (statistics only; built raw, the fold reads raw payloads)."""
    carrier = make_envelope(ClueHandedOver(round_id="-", clue_id=clue_id), service="clues", position=position,
                            unit_id=unit_id, distribution=f"compartment:{clue_id}", stream_id=clue_id)
    payload = {"clue_id": clue_id, "source": "petition", "categories": ["integrity"], "key_person": True,
               "received_on": "2025-01-05", "status": "registered", "referral_id": None,
               "disposition_due_on": "2025-02-05"}
    return carrier.model_copy(update={"type": "clues.ClueRegistered", "payload": payload})


def history() -> list[Envelope]:
    directive = "d-1"
    return [
        make_envelope(DirectiveRegistered(
            directive_id=directive, reference_number="中办发〔2025〕1号", issuer="中共中央办公厅",
            title="关于深入打好污染防治攻坚战的意见", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
            lead_department="大气环境司", category="污染防治攻坚战", tied_to_duties=True,
        ), service="ledgers", position=1, stream_id=directive),
        make_envelope(DirectiveStageRecorded(directive_id=directive, stage="relay_study", done_on=date(2025, 1, 4),
                                             skipped_with_reason=False),
                      service="ledgers", position=2, stream_id=directive, stream_version=2),
        make_envelope(RectificationReported(report_id="rep-1", subject_ref="item-0", summary="整改完成",
                                            completed=True), service="units", position=1, distribution="unit"),
        make_envelope(RectificationReported(report_id="rep-2", subject_ref="item-9", summary="整改中",
                                            completed=False), service="units", position=2, distribution="unit",
                      unit_id="unit-mwr"),
        make_envelope(RectificationReported(report_id="rep-3", subject_ref="item-x", summary="组内记录",
                                            completed=False), service="units", position=3, distribution="group"),
        clue_registered("clue-1", 1),
        clue_registered("clue-2", 2),
        make_envelope(ClueHandedOver(round_id=ROUND, clue_id="clue-2"), service="inspections", position=4,
                      distribution=f"inspection:{ROUND}"),
    ]


POSITIONS = {"ledgers": 2, "units": 3, "clues": 2, "inspections": 4}
HISTORY = history()  # fixed once: envelopes carry random stream and correlation ids


def test_rebuilding_from_the_same_history_gives_the_same_hash() -> None:
    first = build_package(HISTORY, round_id=ROUND, unit_id="unit-mee", positions=POSITIONS)
    again = build_package(list(reversed(HISTORY)) + HISTORY, round_id=ROUND, unit_id="unit-mee",
                          positions=dict(reversed(list(POSITIONS.items()))))
    assert package_hash(first) == package_hash(again)
    assert len(package_hash(first)) == 64


def test_one_more_event_changes_the_hash() -> None:
    base = package_hash(build_package(HISTORY, round_id=ROUND, unit_id="unit-mee", positions=POSITIONS))
    more = HISTORY + [make_envelope(
        DirectiveStageRecorded(directive_id="d-1", stage="deployment", done_on=date(2025, 1, 9),
                               skipped_with_reason=False), service="ledgers", position=3, stream_id="d-1")]
    assert package_hash(build_package(more, round_id=ROUND, unit_id="unit-mee", positions=POSITIONS)) == base
    later = POSITIONS | {"ledgers": 3}
    package = build_package(more, round_id=ROUND, unit_id="unit-mee", positions=later)
    assert package_hash(package) != base
    assert package["ledger"]["stages_recorded"] == 2


def test_package_contents_respect_unit_distribution_and_clue_need_to_know() -> None:
    package = build_package(HISTORY, round_id=ROUND, unit_id="unit-mee", positions=POSITIONS)
    assert package["ledger"]["directive_count"] == 1
    assert package["ledger"]["directives"]["d-1"]["stages"][0]["stage"] == "relay_study"
    reports = package["sections"]["rectification_history"]
    assert [r["payload"]["report_id"] for r in reports] == ["rep-1"]  # other unit and group-only left out
    assert package["clue_statistics"] == {"clues.ClueRegistered": 2}
    assert list(package["handed_over_clues"]) == ["clue-2"]
    assert package["handed_over_clues"]["clue-2"][0]["payload"]["clue_id"] == "clue-2"


def test_clue_handed_over_to_another_round_is_not_included() -> None:
    package = build_package(HISTORY, round_id="round-2", unit_id="unit-mee", positions=POSITIONS)
    assert package["handed_over_clues"] == {}
    assert package["clue_statistics"] == {"clues.ClueRegistered": 2}


@pytest.fixture
def view() -> InspectionHandoffView:
    db = SqliteDatabase(":memory:")
    runner = ProjectionRunner(InspectionHandoff(), db)
    runner.setup()
    runner.process([Item(source=e.service, partition=0, offset=e.position, envelope=e) for e in HISTORY])
    return InspectionHandoffView(db)


def test_projection_builds_the_same_package_as_the_pure_fold(view: InspectionHandoffView) -> None:
    assert view.current_positions() == {"ledgers": 2, "clues": 2, "units": 3, "inspections": 4}
    package, digest = view.build(ROUND, "unit-mee")
    pure = build_package(HISTORY, round_id=ROUND, unit_id="unit-mee", positions=POSITIONS)
    assert digest == package_hash(pure)
    assert package == pure  # the stored (canonical JSON) envelopes fold exactly like the originals


def test_frozen_package_is_rebuilt_byte_for_byte_later(app: InspectionsApplication, view: InspectionHandoffView,
                                                       round_id: str) -> None:
    package, digest = view.build(round_id, "unit-mee")
    frozen = app.freeze_briefing_package(round_id, view.current_positions(), digest)
    [envelope] = published(app, "inspections.BriefingPackageFrozen")
    assert envelope.payload["content_hash"] == digest and envelope.payload["package_id"] == frozen["package_id"]
    # the history grows after the package was frozen
    db = view.db
    runner = ProjectionRunner(InspectionHandoff(), db)
    runner.process([Item(source="ledgers", partition=0, offset=3, envelope=make_envelope(
        DirectiveStageRecorded(directive_id="d-1", stage="deployment", done_on=date(2025, 2, 1),
                               skipped_with_reason=False), service="ledgers", position=3, stream_id="d-1"))])
    stated = app.get_round(round_id)["packages"][0]
    _, rebuilt = view.build(round_id, "unit-mee", stated["positions"])
    assert rebuilt == stated["content_hash"] == digest
    _, now = view.build(round_id, "unit-mee")
    assert now != digest


def test_freezing_needs_a_hash_and_positions_and_an_unclosed_round(app: InspectionsApplication, round_id: str) -> None:
    with pytest.raises(InvalidInputError):
        app.freeze_briefing_package(round_id, {"ledgers": 1}, "not-a-hash")
    with pytest.raises(InvalidInputError):
        app.freeze_briefing_package(round_id, {}, "a" * 64)
    app.open_round(round_id)
    app.close_round(round_id, "结束")
    with pytest.raises(ConflictError):
        app.freeze_briefing_package(round_id, {"ledgers": 1}, "a" * 64)


def test_clue_handed_over_with_a_reason_once(app: InspectionsApplication, round_id: str) -> None:
    with pytest.raises(InvalidInputError) as no_reason:
        app.hand_over_clue(round_id, "clue-7", " ")
    assert no_reason.value.code == "reason_required"
    app.hand_over_clue(round_id, "clue-7", "涉及巡视重点领域，需巡视组了解")
    with pytest.raises(ConflictError):
        app.hand_over_clue(round_id, "clue-7", "再次移交")
    [envelope] = published(app, "inspections.ClueHandedOver")
    assert envelope.payload == {"round_id": round_id, "clue_id": "clue-7"}  # the reason stays in the service
    assert app.get_round(round_id)["handed_over_clues"][0]["reason"] == "涉及巡视重点领域，需巡视组了解"
