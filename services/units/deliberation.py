"""Feedback deliberation (集体研判): draft, members' opinions, the leadership's decision when important, issue."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from events.vocab import MIN_FEEDBACK_OPINIONS
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, ForbiddenError, InvalidInputError
from services.units.outbound import OutboundItem

MIN_OPINIONS = MIN_FEEDBACK_OPINIONS
"""Collective means more than the drafter: at least two members' recorded opinions."""
STANCES = {"agree": "同意 (agree)", "amend": "修改 (amend)", "object": "反对 (object)"}
DECISIONS = {"approve": "同意印发 (approve)", "return": "退回修改 (return)"}
FORMS = {"written": "书面 (written)", "oral": "口头 (oral)"}
DRAFT_STATUSES = {
    "draft": "起草中 (draft)",
    "deliberated": "已研判 (deliberated)",
    "approved": "组领导已同意 (approved)",
    "issued": "已印发 (issued)",
}


DeliberationStateError = ConflictError.kind("DeliberationStateError", "deliberation_state")


class FeedbackDraft(ChainedAggregate):
    """Feedback to the unit while the group deliberates on it; internal to the group until issued."""

    default_distribution = "group"

    @classmethod
    def draft(
        cls, group_id: str, unit_id: str, title: str, body: str, form: str, important: bool, counterpart_id: str,
        drafted_by: str, deadline: date, today: date,
    ) -> FeedbackDraft:
        """A draft held to the rules of the item it will become, so that issuing it cannot fail on them."""
        cls._check_draft(title, body, form)
        OutboundItem.check_issue("feedback", title, body, deadline, today)
        return cls(group_id=group_id, unit_id=unit_id, title=title.strip(), body=body.strip(), form=form,
                   important=important, counterpart_id=counterpart_id, drafted_by=drafted_by, deadline=deadline)

    @staticmethod
    def _check_draft(title: str, body: str, form: str) -> None:
        if not (title or "").strip():
            raise InvalidInputError("标题不能为空 (title is required)", code="title_required")
        if not (body or "").strip():
            raise InvalidInputError("反馈意见正文不能为空 (body is required)", code="body_required")
        if form not in FORMS:
            raise InvalidInputError("反馈形式须为书面或口头 (form must be written or oral)", code="form_invalid")

    @event("Drafted")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        title: str,
        body: str,
        form: str,
        important: bool,
        counterpart_id: str,
        drafted_by: str,
        deadline: date,
    ) -> None:
        self._keep(locals())
        self.revision = 1
        self.opinions: dict[str, dict[str, Any]] = {}
        self.decision: dict[str, Any] | None = None
        self.issued_item_id: str | None = None
        self.history: list[dict[str, Any]] = []

    @property
    def status(self) -> str:
        if self.issued_item_id:
            return "issued"
        if self.decision and self.decision["decision"] == "approve":
            return "approved"
        if len(self.opinions) >= MIN_OPINIONS:
            return "deliberated"
        return "draft"

    def _check_not_issued(self) -> None:
        if self.issued_item_id:
            raise DeliberationStateError("反馈意见已印发，不能再修改 (already issued)", code="already_issued")

    def record_opinion(self, member: str, member_role: str, stance: str, text: str) -> None:
        """A member's opinion on the current revision (a later opinion of the same member replaces it)."""
        self._check_not_issued()
        if stance not in STANCES:
            raise InvalidInputError("意见须为同意、修改或反对 (stance must be agree, amend or object)",
                                    code="stance_invalid")
        if stance != "agree" and not (text or "").strip():
            raise InvalidInputError("修改或反对须写明意见 (amend/object needs a text)", code="opinion_text_required")
        self._opinion_recorded(member=member, member_role=member_role, stance=stance, text=text.strip(),
                               revision=self.revision)

    @event("OpinionRecorded")
    def _opinion_recorded(self, member: str, member_role: str, stance: str, text: str, revision: int) -> None:
        self.opinions[member] = {"member": member, "member_role": member_role, "stance": stance, "text": text,
                                 "revision": revision}
        self.history.append({"step": "opinion", "member": member, "stance": stance})

    def revise(self, body: str, important: bool, reason: str) -> None:
        self._check_not_issued()
        if not (body or "").strip():
            raise InvalidInputError("反馈意见正文不能为空 (body is required)", code="body_required")
        self._revised(body=body.strip(), important=important, reason=reason.strip())

    @event("Revised")
    def _revised(self, body: str, important: bool, reason: str) -> None:
        # A revised text must be deliberated again: earlier opinions and decision no longer apply.
        self.body = body
        self.important = important
        self.revision += 1
        self.opinions = {}
        self.decision = None
        self.history.append({"step": "revised", "revision": self.revision})

    def decide(self, decider: str, decider_role: str, decision: str, note: str, decided_on: date) -> None:
        self._check_decision(decider_role, decision)
        self._decided(decider=decider, decision=decision, note=note.strip(), decided_on=decided_on)

    def _check_decision(self, decider_role: str, decision: str) -> None:
        self._check_not_issued()
        if decider_role != "group_leader":
            raise ForbiddenError("重要反馈意见由组领导研究决定 (only the group leader decides)",
                                 code="leader_decision_required")
        if decision not in DECISIONS:
            raise InvalidInputError("决定须为同意印发或退回修改 (decision must be approve or return)",
                                    code="decision_invalid")
        if len(self.opinions) < MIN_OPINIONS:
            raise DeliberationStateError(
                f"须至少 {MIN_OPINIONS} 名组内成员发表意见后方可决定 "
                f"(at least {MIN_OPINIONS} members' opinions before the decision)",
                code="deliberation_incomplete",
            )

    @event("LeadershipDecided")
    def _decided(self, decider: str, decision: str, note: str, decided_on: date) -> None:
        self.decision = {"decider": decider, "decision": decision, "note": note, "decided_on": decided_on}
        self.history.append({"step": "decided", "decision": decision})

    def check_issue(self) -> None:
        """Refuse to issue before collective deliberation (and the leadership's approval when needed)."""
        self._check_not_issued()
        if len(self.opinions) < MIN_OPINIONS:
            raise DeliberationStateError(
                f"反馈意见须经集体研判，至少 {MIN_OPINIONS} 名成员发表意见 "
                f"(feedback needs collective deliberation: at least {MIN_OPINIONS} opinions)",
                code="deliberation_incomplete",
            )
        objections = [o["member"] for o in self.opinions.values() if o["stance"] == "object"]
        if self.important or objections:
            if self.decision is None:
                raise DeliberationStateError(
                    "重要或有异议的反馈意见须由组领导研究决定后方可印发 "
                    "(important or contested feedback needs the group leadership's decision)",
                    code="decision_required",
                )
            if self.decision["decision"] != "approve":
                raise DeliberationStateError("组领导已退回修改 (the leadership returned it for revision)",
                                             code="decision_returned")

    def issue(self, item_id: str, issued_by: str, issued_on: date) -> None:
        self.check_issue()
        self._issued(item_id=item_id, issued_by=issued_by, issued_on=issued_on, important=self.important,
                     opinion_count=len(self.opinions), revision=self.revision)

    @event("Issued")
    def _issued(
        self, item_id: str, issued_by: str, issued_on: date, important: bool, opinion_count: int, revision: int
    ) -> None:
        self.issued_item_id = item_id
        self.history.append({"step": "issued", "item_id": item_id})
