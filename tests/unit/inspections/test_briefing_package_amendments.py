"""A directive's corrections reach the briefing packages frozen after them, never the ones frozen before.

A package is rebuilt from the positions it was frozen at: a correction recorded later lies beyond them, so
an old package keeps its bytes and hash; a package frozen after it shows the corrected fields."""

from __future__ import annotations

from datetime import date

from events.envelope import Envelope
from events.ledgers import DirectiveAmended, DirectiveRegistered, DirectiveStageRecorded
from projections.inspection_handoff.package import build_package, package_hash
from tests.factories import make_envelope

ROUND, UNIT, DIRECTIVE = "round-1", "unit-mee", "d-1"
FROZEN_BEFORE = {"ledgers": 2, "units": 0, "clues": 0, "inspections": 0}
FROZEN_AFTER = FROZEN_BEFORE | {"ledgers": 3}
GOLDEN = "70aa3c5beae788be79d22b2f87dc64f3569f34c3f29343617a0abd7f96722059"
"""The hash of the package frozen at FROZEN_BEFORE, as the fold computed it before corrections were applied."""


def history() -> list[Envelope]:
    return [
        make_envelope(DirectiveRegistered(
            directive_id=DIRECTIVE, reference_number="中办发〔2025〕1号", issuer="中共中央办公厅",
            title="关于深入打好污染防治攻坚战的意见", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
            lead_department="大气环境司", category=None, tied_to_duties=False,
        ), service="ledgers", position=1, stream_id=DIRECTIVE),
        make_envelope(DirectiveStageRecorded(directive_id=DIRECTIVE, stage="relay_study", done_on=date(2025, 1, 4),
                                             skipped_with_reason=False),
                      service="ledgers", position=2, stream_id=DIRECTIVE, stream_version=2),
        make_envelope(DirectiveAmended(directive_id=DIRECTIVE,
                                       changes={"category": "pollution", "tied_to_duties": True},
                                       previous={"category": None, "tied_to_duties": False}, reason="纳入细账"),
                      service="ledgers", position=3, stream_id=DIRECTIVE, stream_version=3),
    ]


def test_a_package_frozen_before_the_correction_keeps_its_hash() -> None:
    before = build_package(history()[:2], round_id=ROUND, unit_id=UNIT, positions=FROZEN_BEFORE)
    rebuilt = build_package(history(), round_id=ROUND, unit_id=UNIT, positions=FROZEN_BEFORE)
    assert package_hash(rebuilt) == package_hash(before) == GOLDEN
    assert rebuilt["ledger"]["directives"][DIRECTIVE]["category"] is None


def test_a_package_frozen_after_the_correction_shows_the_corrected_fields() -> None:
    package = build_package(history(), round_id=ROUND, unit_id=UNIT, positions=FROZEN_AFTER)
    shown = package["ledger"]["directives"][DIRECTIVE]
    assert shown["category"] == "pollution" and shown["tied_to_duties"] is True
    assert shown["title"] == "关于深入打好污染防治攻坚战的意见" and len(shown["stages"]) == 1
    [correction] = package["sections"]["ledger_records"]  # the correction itself stays on record, with its reason
    assert correction["type"] == "ledgers.DirectiveAmended" and correction["payload"]["reason"] == "纳入细账"
    assert package_hash(package) != GOLDEN
