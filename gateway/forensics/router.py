"""Forensic replay routes: a record's history and its state as of a moment, for a reviewer.

`POST /api/forensics/{kind}/{record_id}/replay` with a reason (required: it is recorded with the use) and an
optional moment (`as_of_version`, or `as_of` on the `recorded` or `happened` axis) and a moment to compare with.
The service that owns the record decides (authz.rules_forensics: the auditor anywhere, a group member their
group's records, a clue only its compartment) and records every use, a refusal included; whoever may not
replay the record gets the 404 a missing record gets.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path

from authz import Permission
from gateway.deps import Services
from gateway.permissions import require
from services.clues.interface import ForensicReplay as ClueReplay
from services.common.forensics import ForensicReplayQuery, ReplayBody, ReplayResult
from services.common.interface import Id
from services.inspections.interface import ForensicReplay as RoundReplay
from services.ledgers.interface import ForensicReplay as LedgersReplay
from services.units.interface import ForensicReplay as UnitsReplay

router = APIRouter(prefix="/api/forensics", tags=["forensics 取证回放"])


class RecordKind(StrEnum):
    directive = "directive"
    item = "item"
    review = "review"
    clue = "clue"
    recommendation = "recommendation"
    round = "round"
    activity = "activity"
    unit_item = "unit_item"
    submission = "submission"


OPERATIONS: dict[RecordKind, type[ForensicReplayQuery]] = {
    RecordKind.directive: LedgersReplay, RecordKind.item: LedgersReplay, RecordKind.review: LedgersReplay,
    RecordKind.clue: ClueReplay, RecordKind.recommendation: ClueReplay,
    RecordKind.round: RoundReplay, RecordKind.activity: RoundReplay,
    RecordKind.unit_item: UnitsReplay, RecordKind.submission: UnitsReplay,
}
"""Which service owns each kind of record."""

KINDS = {RecordKind.directive: "Directive", RecordKind.item: "LedgerItem", RecordKind.review: "QuarterlyReview",
         RecordKind.clue: "Clue", RecordKind.recommendation: "Recommendation", RecordKind.round: "InspectionRound",
         RecordKind.activity: "SupervisionActivity", RecordKind.unit_item: "OutboundItem",
         RecordKind.submission: "InboundSubmission"}


@router.post("/{kind}/{record_id}/replay", response_model=ReplayResult)
def replay(
    kind: Annotated[RecordKind, Path(description="记录类型 (the kind of record)")],
    record_id: Annotated[Id, Path(description="记录编号 (the record's id)")],
    body: ReplayBody,
    services: Services,
    permission: Annotated[Permission, require("forensics.replay")],
) -> ReplayResult:
    """回放一条记录：历史及某一时点的状态 (replay a record: its history and its state at a moment).

    每次使用（包括被拒绝的）均记录使用人与事由 (every use, a refusal included, is recorded with who and why)."""
    result: ReplayResult = services.run(OPERATIONS[kind](record_id=record_id, **body.fields()), permission)
    if result.kind != KINDS[kind]:  # another kind of record under that id: as missing as a missing one
        from services.common.errors import NotFoundError

        raise NotFoundError("记录不存在 (not found)")
    return result
