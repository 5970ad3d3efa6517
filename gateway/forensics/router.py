"""Forensic replay routes: a record's history and its state as of a moment, for a reviewer.

`POST /api/forensics/{kind}/{record_id}/replay` with a reason (required: it is recorded with the use) and an
optional moment (`as_of_version`, or `as_of` on the `recorded` or `happened` axis) and a moment to compare with.
The service that owns the record decides (authz.rules_forensics: the auditor anywhere, a group member their
group's records, a clue only its compartment) and records every use, a refusal included; whoever may not
replay the record gets the 404 a missing record gets.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import Field

from authz import Permission
from gateway.deps import Services, runtime
from gateway.errors import API_ERRORS
from gateway.permissions import require
from services.clues.interface import ForensicHistory as ClueHistory
from services.clues.interface import ForensicReplay as ClueReplay
from services.common.case_history import CaseEventView, CaseHistory, ForensicHistoryQuery, Purpose
from services.common.errors import NotFoundError, UnavailableError
from services.common.forensics import ForensicReplayQuery, ReplayBody, ReplayResult
from services.common.interface import Body, Id
from services.inspections.interface import ForensicHistory as RoundHistory
from services.inspections.interface import ForensicReplay as RoundReplay
from services.ledgers.interface import ForensicHistory as LedgersHistory
from services.ledgers.interface import ForensicReplay as LedgersReplay
from services.units.interface import ForensicHistory as UnitsHistory
from services.units.interface import ForensicReplay as UnitsReplay

router = APIRouter(prefix="/api/forensics", tags=["forensics 取证回放"], responses=API_ERRORS)


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

HISTORIES: dict[str, type[ForensicHistoryQuery]] = {
    "ledgers": LedgersHistory, "clues": ClueHistory, "inspections": RoundHistory, "units": UnitsHistory}
"""Each service's part of a case history."""

KINDS = {RecordKind.directive: "Directive", RecordKind.item: "LedgerItem", RecordKind.review: "QuarterlyReview",
         RecordKind.clue: "Clue", RecordKind.recommendation: "Recommendation", RecordKind.round: "InspectionRound",
         RecordKind.activity: "SupervisionActivity", RecordKind.unit_item: "OutboundItem",
         RecordKind.submission: "InboundSubmission"}


def _of_kind(kind: RecordKind, answer: Any) -> Any:
    """The service's answer, when it is about a record of this kind: another kind of record under that id is as
    missing as a missing one (the one place of that 404)."""
    if answer.kind != KINDS[kind]:
        raise NotFoundError("记录不存在 (not found)")
    return answer


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
    result: ReplayResult = _of_kind(kind, services.run(OPERATIONS[kind](record_id=record_id, **body.fields()),
                                                       permission))
    return result


class ReasonBody(Body):
    reason: str = Field(min_length=1, max_length=500, pattern=r"\S",
                        description="事由，必填，将被记录 (why: required, and recorded with the use)")


MAX_ROUNDS = 8
"""Causation across services is followed this many rounds at most (a hand-off chain is two or three long)."""


def _owned(kind: RecordKind, record_id: str, reason: str, purpose: Purpose, services: Services,
           permission: Permission) -> Any:
    """Ask the service that owns the record: it decides, records the use (a refusal too) and answers its part."""
    owner = OPERATIONS[kind].service
    return _of_kind(kind, services.run(HISTORIES[owner](record_id=record_id, reason=reason, purpose=purpose),
                                       permission))


@router.post("/{kind}/{record_id}/history", response_model=CaseHistory)
def history(
    kind: Annotated[RecordKind, Path(description="记录类型 (the kind of record)")],
    record_id: Annotated[Id, Path(description="记录编号 (the record's id)")],
    body: ReasonBody,
    services: Services,
    permission: Annotated[Permission, require("forensics.history")],
) -> CaseHistory:
    """案卷历史：跨四个服务，按记录时间排序 (a case's history across the four services, in recorded order).

    本记录的事件、与其同一业务关联（correlation）或由其引起（causation，逐级）的事件，含操作人、记录时间与发生时间
    及中英文说明。调用者无权查看的事件（如本组成员不在其知悉范围内的线索事件）不列出，也不计数
    (events of records the caller may not read — a clue outside their compartment — are left out, uncounted).
    每次使用（包括被拒绝的）均记录 (every use, a refusal included, is recorded with who and why)."""
    owned = _owned(kind, record_id, body.reason, Purpose.history, services, permission)
    owner = owned.service
    events: dict[tuple[str, int], CaseEventView] = {(e.service, e.position): e for e in owned.events}
    causes = {e.event_id for e in owned.events} | set(owned.hidden_causes)
    correlations = sorted(owned.correlations)
    asked: dict[str, set[str]] = {owner: set(causes)}
    for _ in range(MAX_ROUNDS):
        grew = False
        for service, query in HISTORIES.items():
            if service not in services.clients or asked.get(service) == causes:
                continue
            asked[service] = set(causes)
            part = services.run(query(correlation_ids=correlations, causes=sorted(causes)), permission)
            for event in part.events:
                events.setdefault((event.service, event.position), event)
            found = {e.event_id for e in part.events} | set(part.hidden_causes)
            if not found <= causes:
                causes |= found
                grew = True
        if not grew:
            break
    ordered = sorted(events.values(), key=lambda e: (e.recorded_at, e.service, e.position))
    return CaseHistory(record_id=owned.record_id, kind=owned.kind, service=owner, events=ordered)


@router.post("/{kind}/{record_id}/evidence", response_class=Response,
             responses={200: {"content": {"application/zip": {}},
                              "description": "证据包 (the evidence bundle: tools/verify_bundle.py checks it)"}})
def evidence(
    request: Request,
    kind: Annotated[RecordKind, Path(description="记录类型 (the kind of record)")],
    record_id: Annotated[Id, Path(description="记录编号 (the record's id)")],
    body: ReasonBody,
    services: Services,
    permission: Annotated[Permission, require("forensics.evidence_export")],
) -> Response:
    """导出证据包，仅审计人员 (export a case's evidence bundle: the auditor only).

    事件、哈希、覆盖它们的签名检查点、公钥与简要报告的 zip，可用 tools/verify_bundle.py 独立校验。证据包含哈希所覆盖的
    明文（线索内容亦然），故仅审计人员可导出；其他人得到与记录不存在相同的 404，且被记录
    (the bundle holds the plain fields its hashes cover, a clue's content included: only the auditor, who may read
    every compartment, exports it; anyone else gets the missing record's 404, and the refusal is recorded)."""
    owned = _owned(kind, record_id, body.reason, Purpose.evidence_export, services, permission)  # 404 first
    exporter: Callable[[str, str, str], bytes] | None = runtime(request).evidence
    if exporter is None:
        raise UnavailableError("本部署不提供证据包导出 (evidence export is not available in this deployment)")
    data = exporter(owned.record_id, permission.principal.user_id, body.reason)
    return Response(content=data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="evidence-{owned.record_id}.zip"'})
