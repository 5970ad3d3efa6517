"""Upward (请示报告机制) to the commission, consultations with the unit (定期会商) and joint announcements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError, NotFoundError

UPWARD_KINDS = {"request": "请示 (request)", "report": "报告 (report)"}
CONSULTATION_KINDS = {
    "regular": "定期会商 (regular consultation)",
    "thematic": "专题会商 (thematic consultation)",
    "joint_clue_screening": "线索联合排查 (joint screening)",
}


def _need(value: str | None, label: str, code: str) -> None:
    if not (value or "").strip():
        raise InvalidInputError(f"{label}不能为空 ({code.replace('_', ' ')})", code=code)


class UpwardSubmission(ChainedAggregate):
    """A request (请示) or report (报告) from the group to the commission, and the commission's replies."""

    default_distribution = "hq"

    @classmethod
    def submit(
        cls, group_id: str, unit_id: str | None, kind: str, title: str, body: str, submitted_by: str,
        submitted_on: date,
    ) -> UpwardSubmission:
        if kind not in UPWARD_KINDS:
            raise InvalidInputError(f"须为请示或报告 (kind must be request or report): {kind}", code="unknown_kind")
        _need(title, "标题", "title_required")
        _need(body, "正文", "body_required")
        return cls(group_id=group_id, unit_id=unit_id, kind=kind, title=title.strip(), body=body.strip(),
                   submitted_by=submitted_by, submitted_on=submitted_on)

    @event("Submitted")
    def __init__(
        self, group_id: str, unit_id: str | None, kind: str, title: str, body: str, submitted_by: str,
        submitted_on: date,
    ) -> None:
        self._keep(locals())
        self.replies: list[dict[str, Any]] = []

    def reply(self, replied_by: str, reply: str, final: bool, replied_on: date) -> None:
        _need(reply, "批复内容", "reply_required")
        if self.kind == "request" and any(r["final"] for r in self.replies):
            raise ConflictError("该请示已批复 (the request was already answered)", code="already_answered")
        self._replied(replied_by=replied_by, reply=reply.strip(), final=final, replied_on=replied_on)

    @event("Replied")
    def _replied(self, replied_by: str, reply: str, final: bool, replied_on: date) -> None:
        self.replies.append({"replied_by": replied_by, "reply": reply, "final": final, "replied_on": replied_on})


class Consultation(ChainedAggregate):
    """A consultation with the unit's leadership (会商): minutes and agreed actions, shared with the unit."""

    default_distribution = "unit"

    @classmethod
    def hold(
        cls, group_id: str, unit_id: str, kind: str, held_on: date, participants: list[str], topics: list[str],
        minutes: str, actions: list[dict[str, Any]],
    ) -> Consultation:
        """A consultation; each agreed action gets an id (`action_ids` lists them in order)."""
        if kind not in CONSULTATION_KINDS:
            raise InvalidInputError(f"未知会商类型 (unknown consultation kind): {kind}", code="unknown_kind")
        if not topics or not all((t or "").strip() for t in topics):
            raise InvalidInputError("会商议题不能为空 (topics are required)", code="topics_required")
        _need(minutes, "会议纪要", "minutes_required")
        for action in actions:
            _need(action.get("text"), "商定事项", "action_text_required")
            _need(action.get("owner"), "责任方", "action_owner_required")
        clean = [{"action_id": str(uuid.uuid4()), "text": str(a["text"]).strip(), "owner": str(a["owner"]).strip(),
                  "due": a["due"].isoformat() if isinstance(a.get("due"), date) else a.get("due")} for a in actions]
        return cls(group_id=group_id, unit_id=unit_id, kind=kind, held_on=held_on, participants=list(participants),
                   topics=[t.strip() for t in topics], minutes=minutes.strip(), actions=clean)

    @event("Held")
    def __init__(
        self, group_id: str, unit_id: str, kind: str, held_on: date, participants: list[str], topics: list[str],
        minutes: str, actions: list[dict[str, Any]],
    ) -> None:
        self._keep(locals())
        self.actions = {a["action_id"]: dict(a, done=None) for a in actions}

    @property
    def action_ids(self) -> list[str]:
        return list(self.actions)

    def complete_action(self, action_id: str, note: str, done_on: date) -> None:
        action = self.actions.get(action_id)
        if action is None:
            raise NotFoundError(f"商定事项不存在 (agreed action not found): {action_id}", code="action_not_found")
        if action["done"] is not None:
            raise ConflictError("该事项已完成 (action already done)", code="action_done")
        self._action_completed(action_id=action_id, note=note.strip(), done_on=done_on)

    @event("ActionCompleted")
    def _action_completed(self, action_id: str, note: str, done_on: date) -> None:
        self.actions[action_id]["done"] = {"note": note, "done_on": done_on}


class JointAnnouncement(ChainedAggregate):
    """A joint supervision announcement (联合监督通报) by the group and the unit."""

    default_distribution = "unit"

    @classmethod
    def publish(cls, group_id: str, unit_id: str, title: str, body: str, published_on: date,
                published_by: str) -> JointAnnouncement:
        _need(title, "标题", "title_required")
        _need(body, "正文", "body_required")
        return cls(group_id=group_id, unit_id=unit_id, title=title.strip(), body=body.strip(),
                   published_on=published_on, published_by=published_by)

    @event("Published")
    def __init__(
        self, group_id: str, unit_id: str, title: str, body: str, published_on: date, published_by: str
    ) -> None:
        self._keep(locals())
