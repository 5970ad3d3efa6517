"""The units service's commands on people (既监督事也监督人, 廉政意见): important posts and fields on the roster, the
group's key-person flags and leader evaluations (group-internal), integrity-opinion requests and replies, and the
roster's person id on every submission about a cadre (two cadres of one name stay two people)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent

from events.envelope import Envelope
from services.common.application import command, policy
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.units import interface as ops
from services.units.clue_outcomes import ClueOutcome, ClueTie
from services.units.evaluations import PersonSupervision
from services.units.inbound import InboundSubmission
from services.units.integrity_opinions import IntegrityOpinionRequest
from services.units.outbound import OutboundItem
from services.units.queries import UnitsQueries
from services.units.roster import Unit

CADRE_KINDS = ("democratic_evaluation", "duty_integrity_report", "integrity_opinion_reply")
"""Submissions about one cadre: each names the roster's person id."""


def resolve_person(unit: Unit, details: dict[str, Any]) -> str:
    """The roster's person id a submission about a cadre concerns: the one it names (checked against the name),
    else the only person of that name on the roster; '' for a cadre not on the roster; refused when two share it."""
    name = str(details.get("cadre") or "").strip()
    given = details.get("person_id")
    if given:
        person = unit.person(str(given))
        if name and person["person_name"] != name:
            raise InvalidInputError(f"人员编号与姓名不符 (person {given} is {person['person_name']})",
                                    code="person_name_mismatch")
        return str(given)
    same_name = [p for p in unit.persons().values() if p["person_name"] == name]
    if len(same_name) > 1:
        raise InvalidInputError(f"名册中有 {len(same_name)} 位 {name}，须指明人员编号 (two or more persons of this "
                                "name: give person_id)", code="person_ambiguous")
    return str(same_name[0]["person_id"]) if same_name else ""


class PeopleCommands(UnitsQueries):
    """Supervising people: the commands (mixed into UnitsApplication)."""

    if TYPE_CHECKING:  # defined by UnitsApplication
        def _new_submission(
            self, unit_id: str, kind: str, title: str, details: dict[str, Any],
            attachments: Sequence[ops.AttachmentRef], answers_item_id: str | None = None,
        ) -> InboundSubmission: ...

        def _receipt(self, submission: InboundSubmission, *others: Any) -> dict[str, Any]: ...

        def _issue(self, unit: Unit, kind: str, title: str, body: str, counterpart_id: str, deadline: date,
                   reference_number: str) -> OutboundItem: ...

    def supervision(self, unit: Unit, person_id: str) -> PersonSupervision:
        """The group's file on a person of the roster (opened on first use)."""
        person = unit.person(person_id)
        try:
            found: PersonSupervision = self.repository.get(PersonSupervision.create_id(unit.unit_id, person_id))
        except AggregateNotFoundError:
            return PersonSupervision.open(unit.group_id, unit.unit_id, person_id, person["person_name"])
        self.authorize(found)
        return found

    @command
    def set_important_fields(self, c: ops.SetImportantFields) -> ops.RosterMarked:
        """Mark a department or post as an important post or field (监测环评、督察执法、核安全监管 …)."""
        unit = self.unit(c.unit_id)
        unit.set_important_fields(c.target, c.target_id, list(c.important_fields), self.today())
        return ops.RosterMarked(unit_id=c.unit_id, target_id=c.target_id, position=self.record(unit))

    @command
    def flag_key_person(self, c: ops.FlagKeyPerson) -> ops.PersonMarked:
        """Flag (or unflag) a person of the roster as a key person (重点人): group-internal."""
        file = self.supervision(self.unit(c.unit_id), c.person_id)
        file.flag_key_person(c.flagged, c.reason, self.today(), self.actor()["user"])
        return ops.PersonMarked(unit_id=c.unit_id, person_id=c.person_id, position=self.record(file))

    @command
    def evaluate_leader(self, c: ops.EvaluateLeader) -> ops.LeaderEvaluationRecorded:
        """Evaluate one of the unit's responsible leaders for a period, 作风 included (a second evaluation of the
        same period revises the first)."""
        unit = self.unit(c.unit_id)
        unit.check_leader(c.person_id)
        file = self.supervision(unit, c.person_id)
        evaluation_id = file.evaluate(c.period, dict(c.aspects), c.overall, c.observation, self.today(),
                                      self.actor()["user"])
        return ops.LeaderEvaluationRecorded(evaluation_id=evaluation_id, person_id=c.person_id, period=c.period,
                                            revision=file.evaluations[c.period]["revision"],
                                            position=self.record(file))

    @command
    def request_integrity_opinion(self, c: ops.RequestIntegrityOpinion) -> ops.IntegrityOpinionRequested:
        """Ask the unit for an integrity opinion about a cadre of its roster (an item to the unit, signed per the
        routing matrix)."""
        unit = self.unit(c.unit_id)
        person = unit.person(c.person_id)
        item = self._issue(unit, "integrity_opinion_request", c.title, c.body, c.counterpart_id, c.deadline,
                           c.reference_number)
        request = IntegrityOpinionRequest.request(
            group_id=unit.group_id, unit_id=unit.unit_id, item_id=str(item.id), person_id=c.person_id,
            person_name=person["person_name"], purpose=c.purpose, deadline=c.deadline, requested_on=self.today(),
        )
        return ops.IntegrityOpinionRequested(item_id=str(item.id), request_id=str(request.id),
                                             position=self.record(item, request))

    @command
    def reply_integrity_opinion(self, c: ops.ReplyIntegrityOpinion) -> ops.SubmissionReceipted:
        """The unit's integrity-opinion reply about a cadre (廉政意见回函); with `item_id` it answers the group's
        request, whose cadre it concerns."""
        details = c.model_dump(exclude={"unit_id", "title", "attachments", "item_id"})
        if c.item_id is None:
            submission = self._new_submission(c.unit_id, "integrity_opinion_reply", c.title, details, c.attachments)
            return ops.SubmissionReceipted(**self._receipt(submission))
        item: OutboundItem = self.load(c.item_id, OutboundItem)
        if item.kind != "integrity_opinion_request" or item.unit_id != c.unit_id:
            raise InvalidInputError("该事项不是本单位的廉政意见征求函 (not an integrity-opinion request to this unit)",
                                    code="not_an_opinion_request")
        request: IntegrityOpinionRequest = self.load(IntegrityOpinionRequest.create_id(c.item_id),
                                                     IntegrityOpinionRequest)
        if details.get("person_id") not in (None, request.person_id):
            raise InvalidInputError("回函人员与征求函不符 (the reply concerns another person)", code="person_mismatch")
        details.update(person_id=request.person_id, request_id=str(request.id), cadre=request.person_name)
        item.reply_kind()
        submission = self._new_submission(c.unit_id, "integrity_opinion_reply", c.title, details, c.attachments,
                                          c.item_id)
        item.answer(str(submission.id), "integrity_opinion_reply", c.summary or c.opinion, True, self.today())
        return ops.ItemAnswered(**self._receipt(submission, item), item_id=c.item_id, item_status=item.status)

    def with_person(self, unit: Unit, kind: str, details: dict[str, Any]) -> dict[str, Any]:
        """A submission about a cadre names the roster's person id (resolved here, once, at receipt)."""
        if kind not in CADRE_KINDS:
            return details
        return {**details, "person_id": resolve_person(unit, details)}

    # -- a clue's final, shareable outcome tied to the cadre (only the clue's compartment) ------------------------
    @command
    def tie_clue_outcome(self, c: ops.TieClueOutcome) -> ops.ClueOutcomeTied:
        """Tie a concluded clue's final outcome (result, disposition, four forms: never content) to a person's
        integrity file; only a member of the clue's compartment may, and only they will read the tie."""
        unit = self.unit(c.unit_id)
        person = unit.person(c.person_id)
        outcome: ClueOutcome = self.load(ClueOutcome.create_id(c.clue_id), ClueOutcome)
        if outcome.unit_id != unit.unit_id:
            raise NotFoundError("记录不存在 (not found)")
        final = outcome.final()
        if ClueTie.create_id(c.clue_id, c.person_id) in self.repository:
            raise ConflictError("该线索结论已记入此人廉政档案 (already tied to this person)", code="already_tied")
        tie = ClueTie(group_id=unit.group_id, unit_id=unit.unit_id, clue_id=c.clue_id,
                      compartment=list(outcome.compartment), person_id=c.person_id,
                      person_name=person["person_name"], result=final["result"], four_forms=final["four_forms"],
                      disposition=final["disposition"], tied_on=self.today(), tied_by=self.actor()["user"])
        return ops.ClueOutcomeTied(clue_id=c.clue_id, person_id=c.person_id, position=self.record(tie))

    def _clue(self, clue_id: str) -> ClueOutcome | None:
        try:
            found: ClueOutcome = self.repository.get(ClueOutcome.create_id(clue_id))
        except AggregateNotFoundError:
            return None
        return found

    @policy("clues.ClueRegistered")
    def on_clue_registered(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        """Keep a clue's compartment (user ids only) to guard ties to its outcome."""
        if envelope.unit_id and self._clue(payload.clue_id) is None:
            processing.collect_events(ClueOutcome(group_id=envelope.group_id, unit_id=envelope.unit_id,
                                                  clue_id=payload.clue_id, compartment=sorted(payload.compartment)))

    @policy("clues.ClueCompartmentChanged")
    def on_clue_compartment_changed(self, envelope: Envelope, payload: Any,
                                    processing: ProcessingEvent[Any]) -> None:
        clue = self._clue(payload.clue_id)
        if clue is not None:
            clue.change_compartment(added=list(payload.added), removed=list(payload.removed))
            processing.collect_events(clue)

    @policy("clues.ClueStatusChanged")
    def on_clue_status_changed(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        """A clue concluded (its result, disposition and four-forms codes) or reopened; staff the step added."""
        clue = self._clue(payload.clue_id)
        if clue is None:
            return
        if payload.compartment_added:
            clue.change_compartment(added=list(payload.compartment_added), removed=[])
        if payload.result is not None or (payload.step == "reopened" and clue.result is not None):
            clue.change_status(result=payload.result, four_forms=payload.four_forms,
                               disposition=payload.disposition, on=envelope.occurred_at.date())
        processing.collect_events(clue)
