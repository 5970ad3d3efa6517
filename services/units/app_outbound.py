"""Commands and queries of items sent to the unit, the overdue scheduler, and feedback deliberation."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import command, query
from services.common.errors import InvalidInputError
from services.units.base import UnitsBase, jsonable
from services.units.deliberation import FeedbackDraft
from services.units.outbound import OUTBOUND_KINDS, OutboundItem
from services.units.roster import Unit

DIRECT_KINDS = ("document_request", "scheduling_request", "directive_relay")


class OutboundCommands(UnitsBase):
    def _issue(
        self, unit: Unit, kind: str, title: str, body: str, counterpart_id: str, deadline: date,
        reference_number: str, signer: str, signer_role: str, source_ref: str | None = None,
    ) -> OutboundItem:
        """Route and sign: the routing matrix refuses a signer who does not speak for the counterpart."""
        level = unit.level_of(counterpart_id)
        counterpart = unit.department(counterpart_id)
        self.matrix(unit).check_signer(counterpart_id, counterpart["name"], level, signer, signer_role)
        OutboundItem.check_issue(kind, title, body, deadline, self.today())
        return OutboundItem(
            group_id=unit.group_id, unit_id=unit.unit_id, kind=kind, title=title.strip(), body=body.strip(),
            reference_number=(reference_number or "").strip(), counterpart_id=counterpart_id,
            counterpart_name=counterpart["name"], level=level, signed_by=signer, signer_role=signer_role,
            deadline=deadline, issued_on=self.today(), source_ref=source_ref,
        )

    @command
    def issue_request(
        self, unit_id: str, kind: str, title: str, body: str, counterpart_id: str, deadline: date,
        reference_number: str = "",
    ) -> dict[str, Any]:
        """Send a document request (调阅资料), scheduling request (调度) or relay of HQ instructions to the unit."""
        if kind not in DIRECT_KINDS:
            raise InvalidInputError(
                "反馈意见须经集体研判后印发，纪检监察建议由线索处置环节发出 "
                "(feedback is issued after deliberation; recommendations come from the clues service)",
                code="kind_not_direct",
            )
        actor = self.actor()
        item = self._issue(self.unit(unit_id), kind, title, body, counterpart_id, deadline, reference_number,
                           actor["user"], actor["role"])
        return {"item_id": str(item.id), "position": self.record(item)}

    @command
    def record_delivery(self, item_id: str, channel: str = "portal") -> dict[str, Any]:
        """Record that an item reached the unit (portal, paper, in person)."""
        item: OutboundItem = self.load(item_id, OutboundItem)
        item.check_delivery()
        item.deliver(channel=channel, delivered_on=self.today())
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def acknowledge_item(self, item_id: str) -> dict[str, Any]:
        """The unit signs for an item (签收); an item not yet marked delivered is delivered by the portal."""
        item: OutboundItem = self.load(item_id, OutboundItem)
        item.check_acknowledgement()
        if item.delivered is None:
            item.deliver(channel="portal", delivered_on=self.today())
        item.acknowledge(by=self.actor()["user"], acknowledged_on=self.today())
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def withdraw_item(self, item_id: str, reason: str) -> dict[str, Any]:
        """Withdraw an item sent in error (the record and its reason stay)."""
        item: OutboundItem = self.load(item_id, OutboundItem)
        item.check_withdrawal(reason)
        item.withdraw(reason=reason.strip())
        return {"item_id": item_id, "position": self.record(item)}

    @command
    def record_overdue(self) -> dict[str, Any]:
        """Scheduler: record an Overdue event, once, for each open unanswered item past its deadline."""
        today = self.today()
        overdue = [i for i in self.all_of(OutboundItem.Issued, OutboundItem) if i.is_overdue(today)]
        for item in overdue:
            item.mark_overdue(detected_on=today)
        position = self.record(*overdue) if overdue else 0
        return {"overdue": [str(i.id) for i in overdue], "position": position}

    # -- feedback deliberation (集体研判) -------------------------------------------------------
    @command
    def draft_feedback(
        self, unit_id: str, title: str, body: str, counterpart_id: str, deadline: date, important: bool = False,
        form: str = "written",
    ) -> dict[str, Any]:
        """Draft feedback (反馈意见) for collective deliberation; the unit sees nothing until it is issued."""
        unit = self.unit(unit_id)
        unit.level_of(counterpart_id)
        FeedbackDraft.check_draft(title, body, form)
        OutboundItem.check_issue("feedback", title, body, deadline, self.today())
        draft = FeedbackDraft(
            group_id=unit.group_id, unit_id=unit_id, title=title.strip(), body=body.strip(), form=form,
            important=important, counterpart_id=counterpart_id, drafted_by=self.actor()["user"], deadline=deadline,
        )
        return {"draft_id": str(draft.id), "position": self.record(draft)}

    @command
    def record_opinion(self, draft_id: str, stance: str, text: str = "") -> dict[str, Any]:
        """A group member records an opinion on the draft (agree, amend, object)."""
        draft: FeedbackDraft = self.load(draft_id, FeedbackDraft)
        draft.check_opinion(stance, text)
        actor = self.actor()
        draft.record_opinion(member=actor["user"], member_role=actor["role"], stance=stance, text=text.strip(),
                             revision=draft.revision)
        return {"draft_id": draft_id, "status": draft.status, "position": self.record(draft)}

    @command
    def revise_feedback(self, draft_id: str, body: str, important: bool, reason: str = "") -> dict[str, Any]:
        """Revise the text; it must be deliberated (and decided, if important) again."""
        draft: FeedbackDraft = self.load(draft_id, FeedbackDraft)
        draft.check_revision(body)
        draft.revise(body=body.strip(), important=important, reason=reason.strip())
        return {"draft_id": draft_id, "revision": draft.revision, "position": self.record(draft)}

    @command
    def decide_feedback(self, draft_id: str, decision: str, note: str = "") -> dict[str, Any]:
        """The group leadership decides on important feedback (组领导研究决定): approve or return."""
        draft: FeedbackDraft = self.load(draft_id, FeedbackDraft)
        actor = self.actor()
        draft.check_decision(actor["role"], decision)
        draft.decide(decider=actor["user"], decision=decision, note=note.strip(), decided_on=self.today())
        return {"draft_id": draft_id, "status": draft.status, "position": self.record(draft)}

    @command
    def issue_feedback(self, draft_id: str, reference_number: str = "") -> dict[str, Any]:
        """Issue deliberated feedback to the unit, signed per the routing matrix."""
        draft: FeedbackDraft = self.load(draft_id, FeedbackDraft)
        draft.check_issue()
        actor = self.actor()
        item = self._issue(self.unit(draft.unit_id), "feedback", draft.title, draft.body, draft.counterpart_id,
                           draft.deadline, reference_number, actor["user"], actor["role"], source_ref=None)
        draft.issue(item_id=str(item.id), issued_by=actor["user"], issued_on=self.today())
        return {"draft_id": draft_id, "item_id": str(item.id), "position": self.record(draft, item)}

    # -- queries ----------------------------------------------------------------------------
    @staticmethod
    def item_view(item: OutboundItem) -> dict[str, Any]:
        return {
            "item_id": str(item.id), "group_id": item.group_id, "unit_id": item.unit_id,
            "distribution": item.default_distribution, "kind": item.kind, "kind_label": OUTBOUND_KINDS[item.kind],
            "title": item.title, "body": item.body, "reference_number": item.reference_number,
            "counterpart_id": item.counterpart_id, "counterpart_name": item.counterpart_name, "level": item.level,
            "signed_by": item.signed_by, "signer_role": item.signer_role, "deadline": item.deadline.isoformat(),
            "issued_on": item.issued_on.isoformat(), "source_ref": item.source_ref, "status": item.status,
            "delivered": jsonable(item.delivered), "acknowledged": jsonable(item.acknowledged),
            "answers": jsonable(item.answers), "overdue_on": jsonable(item.overdue_on), "withdrawn": item.withdrawn,
            "version": item.version,
        }

    @query
    def get_item(self, item_id: str) -> dict[str, Any]:
        """One item sent to the unit, with its delivery, acknowledgement and answers."""
        return self.item_view(self.load(item_id, OutboundItem))

    @query
    def list_items(self, unit_id: str, status: str | None = None) -> list[dict[str, Any]]:
        """Items sent to the unit, by deadline (optionally with one status)."""
        rows = [self.item_view(i) for i in self.all_of(OutboundItem.Issued, OutboundItem, unit_id)]
        rows = [r for r in rows if status is None or r["status"] == status]
        return sorted(rows, key=lambda r: (r["deadline"], r["title"]))

    @staticmethod
    def draft_view(draft: FeedbackDraft) -> dict[str, Any]:
        return {
            "draft_id": str(draft.id), "group_id": draft.group_id, "unit_id": draft.unit_id,
            "distribution": draft.default_distribution, "title": draft.title, "body": draft.body,
            "form": draft.form, "important": draft.important, "counterpart_id": draft.counterpart_id,
            "drafted_by": draft.drafted_by, "deadline": draft.deadline.isoformat(), "revision": draft.revision,
            "status": draft.status, "opinions": list(draft.opinions.values()), "decision": jsonable(draft.decision),
            "issued_item_id": draft.issued_item_id, "history": jsonable(draft.history), "version": draft.version,
        }

    @query
    def get_feedback_draft(self, draft_id: str) -> dict[str, Any]:
        """A feedback draft with opinions, decision and history (group-internal)."""
        return self.draft_view(self.load(draft_id, FeedbackDraft))

    @query
    def list_feedback_drafts(self, unit_id: str) -> list[dict[str, Any]]:
        """The group's feedback drafts for a unit."""
        return [self.draft_view(d) for d in self.all_of(FeedbackDraft.Drafted, FeedbackDraft, unit_id)]
