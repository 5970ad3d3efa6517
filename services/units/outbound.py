"""Outbound to the unit: feedback, recommendations, document and scheduling requests, each tracked to its answer."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

OUTBOUND_KINDS = {
    "feedback": "反馈意见 (feedback)",
    "recommendation": "纪检监察建议 (supervision recommendation)",
    "document_request": "调阅资料 (document request)",
    "scheduling_request": "调度通知 (scheduling request)",
    "directive_relay": "传达上级要求 (relay of HQ instructions)",
    "integrity_opinion_request": "征求廉政意见 (integrity-opinion request)",
}
REPLY_KIND = {
    "feedback": "feedback_reply",
    "recommendation": "recommendation_reply",
    "document_request": "document_submission",
    "scheduling_request": "progress_report",
    "directive_relay": "progress_report",
    "integrity_opinion_request": "integrity_opinion_reply",
}
DIRECT_KINDS = ("document_request", "directive_relay")
"""Kinds the group issues directly; feedback is issued after deliberation, recommendations come from clues."""
RETIRED_KINDS = {
    "scheduling_request": "调度请以定期调度发起，单位在门户逐件答复 (scheduling is one mechanism: open a scheduling "
                          "round, POST /api/ledgers/scheduling-rounds; the unit answers it per directive)",
}
"""Kinds no longer issued (issue #15): items issued before still load, show and can be answered."""
DELIVERY_CHANNELS = {"portal": "门户 (portal)", "paper": "纸质 (paper)", "in_person": "当面 (in person)"}
ITEM_STATUSES = {
    "issued": "已印发 (issued)",
    "delivered": "已送达 (delivered)",
    "acknowledged": "已签收 (acknowledged)",
    "answered": "已答复 (answered)",
    "completed": "已办结 (completed)",
    "withdrawn": "已撤回 (withdrawn)",
}
OUTBOUND_NAMESPACE = uuid.UUID("5a8e41c4-4b1e-4d0b-8d6a-6f7574626f78")


OutboundStateError = ConflictError.kind("OutboundStateError", "outbound_state")


class OutboundItem(ChainedAggregate):
    """An item the group sends to the unit: delivered, acknowledged (签收), answered, or overdue."""

    default_distribution = "unit"

    @staticmethod
    def create_id(kind: str, source_ref: str | None) -> uuid.UUID:
        # An item made from another service's record gets a stable id, so a hand-off is recorded once.
        if source_ref:
            return uuid.uuid5(OUTBOUND_NAMESPACE, f"{kind}:{source_ref}")
        return uuid.uuid4()

    @classmethod
    def issue(
        cls, group_id: str, unit_id: str, kind: str, title: str, body: str, reference_number: str,
        counterpart_id: str, counterpart_name: str, level: str, signed_by: str, signer_role: str, deadline: date,
        issued_on: date, source_ref: str | None = None,
    ) -> OutboundItem:
        """An item sent to the unit (already routed and signed per the routing matrix)."""
        cls.check_issue(kind, title, body, deadline, issued_on)
        return cls(
            group_id=group_id, unit_id=unit_id, kind=kind, title=title.strip(), body=body.strip(),
            reference_number=(reference_number or "").strip(), counterpart_id=counterpart_id,
            counterpart_name=counterpart_name, level=level, signed_by=signed_by, signer_role=signer_role,
            deadline=deadline, issued_on=issued_on, source_ref=source_ref,
        )

    @staticmethod
    def check_kind(kind: str) -> None:
        """A kind the group may send now (a retired kind's items issued before still load and are answered)."""
        if kind not in OUTBOUND_KINDS:
            raise InvalidInputError(f"未知事项类型 (unknown item kind): {kind}", code="unknown_kind")
        if kind in RETIRED_KINDS:
            raise InvalidInputError(RETIRED_KINDS[kind], code="use_scheduling_rounds")

    @staticmethod
    def check_issue(kind: str, title: str, body: str, deadline: date, today: date) -> None:
        """The rules of any item to the unit (a feedback draft is held to them before deliberation)."""
        OutboundItem.check_kind(kind)
        if not (title or "").strip():
            raise InvalidInputError("标题不能为空 (title is required)", code="title_required")
        if not (body or "").strip():
            raise InvalidInputError("正文不能为空 (body is required)", code="body_required")
        if deadline < today:
            raise InvalidInputError("办理期限不能早于今天 (deadline in the past)", code="deadline_in_past")

    @event("Issued")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        kind: str,
        title: str,
        body: str,
        reference_number: str,
        counterpart_id: str,
        counterpart_name: str,
        level: str,
        signed_by: str,
        signer_role: str,
        deadline: date,
        issued_on: date,
        source_ref: str | None,
    ) -> None:
        self._keep(locals())
        self.delivered: dict[str, Any] | None = None
        self.acknowledged: dict[str, Any] | None = None
        self.answers: list[dict[str, Any]] = []
        self.completed = False
        self.overdue_on: date | None = None
        self.withdrawn: str | None = None

    def _facts(self) -> dict[str, Any]:
        """What every step event repeats, so consumers need not keep the item to understand it."""
        return {"item_kind": self.kind, "source_ref": self.source_ref}

    @property
    def status(self) -> str:
        if self.withdrawn:
            return "withdrawn"
        if self.completed:
            return "completed"
        if self.answers:
            return "answered"
        if self.acknowledged:
            return "acknowledged"
        if self.delivered:
            return "delivered"
        return "issued"

    @property
    def is_open(self) -> bool:
        return not (self.withdrawn or self.completed)

    def _check_open(self) -> None:
        if self.withdrawn:
            raise OutboundStateError("该事项已撤回 (item withdrawn)", code="item_withdrawn")
        if self.completed:
            raise OutboundStateError("该事项已办结 (item already completed)", code="item_completed")

    def deliver(self, channel: str, delivered_on: date) -> None:
        self._check_open()
        if self.delivered is not None:
            raise OutboundStateError("已送达 (already delivered)", code="already_delivered")
        self._delivered(channel=channel, delivered_on=delivered_on, **self._facts())

    @event("Delivered")
    def _delivered(self, channel: str, delivered_on: date, item_kind: str, source_ref: str | None) -> None:
        self.delivered = {"channel": channel, "delivered_on": delivered_on}

    def acknowledge(self, by: str, acknowledged_on: date) -> None:
        """The unit signs for the item (签收); an item not yet marked delivered is delivered by the portal."""
        self._check_open()
        if self.acknowledged is not None:
            raise OutboundStateError("已签收 (already acknowledged)", code="already_acknowledged")
        if self.delivered is None:
            self._delivered(channel="portal", delivered_on=acknowledged_on, **self._facts())
        self._acknowledged(by=by, acknowledged_on=acknowledged_on, **self._facts())

    @event("Acknowledged")
    def _acknowledged(self, by: str, acknowledged_on: date, item_kind: str, source_ref: str | None) -> None:
        self.acknowledged = {"by": by, "acknowledged_on": acknowledged_on}

    def reply_kind(self) -> str:
        """The kind of submission that answers this item (refused while the item cannot be answered)."""
        self._check_open()
        if self.acknowledged is None:
            raise OutboundStateError("须先签收再答复 (acknowledge the item before answering)", code="not_acknowledged")
        return REPLY_KIND[self.kind]

    def answer(self, submission_id: str, reply_kind: str, summary: str, completed: bool, answered_on: date) -> None:
        if reply_kind != self.reply_kind():
            raise InvalidInputError(
                f"答复类型与事项不符，应为 {REPLY_KIND[self.kind]} (reply kind does not match the item)",
                code="reply_kind_mismatch",
            )
        self._answered(submission_id=submission_id, summary=summary.strip(), completed=completed,
                       answered_on=answered_on, **self._facts())

    @event("Answered")
    def _answered(
        self, submission_id: str, summary: str, completed: bool, answered_on: date, item_kind: str,
        source_ref: str | None,
    ) -> None:
        self.answers.append(
            {"submission_id": submission_id, "summary": summary, "completed": completed, "answered_on": answered_on}
        )
        if completed:
            self.completed = True

    def is_overdue(self, today: date) -> bool:
        return self.is_open and not self.answers and today > self.deadline and self.overdue_on is None

    def mark_overdue(self, detected_on: date) -> None:
        if not self.is_overdue(detected_on):
            raise OutboundStateError("该事项未逾期 (item is not overdue)", code="not_overdue")
        self._overdue(deadline=self.deadline, detected_on=detected_on, **self._facts())

    @event("Overdue")
    def _overdue(self, deadline: date, detected_on: date, item_kind: str, source_ref: str | None) -> None:
        self.overdue_on = detected_on

    def withdraw(self, reason: str) -> None:
        self._check_open()
        if not (reason or "").strip():
            raise InvalidInputError("撤回须说明理由 (withdrawal needs a reason)", code="reason_required")
        self._withdrawn(reason=reason.strip(), **self._facts())

    @event("Withdrawn")
    def _withdrawn(self, reason: str, item_kind: str, source_ref: str | None) -> None:
        self.withdrawn = reason
