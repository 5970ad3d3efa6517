"""Inspections application: inspection rounds (before / during / after) and the group's supervision activities."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from events.envelope import Envelope
from services.common.application import command, policy, query
from services.inspections.activity_commands import ActivityCommands
from services.inspections.domainmodel import InspectionRound
from services.inspections.integration import mapper
from services.inspections.sealing import clue_content, seal_content
from services.inspections.views import round_summary, round_view, unit_item


class InspectionsApplication(ActivityCommands):
    name = "inspections"
    scheduler_command = "check_deadlines"
    integration = mapper
    consumes = ("units",)

    def _round(self, round_id: str) -> InspectionRound:
        found: InspectionRound = self.load(round_id, InspectionRound)
        return found

    # -- rounds --------------------------------------------------------------------------------
    @command
    def record_round(
        self,
        group_id: str,
        unit_id: str,
        title: str,
        team_id: str,
        member_ids: list[str],
        before_start: date,
        before_end: date,
        during_start: date,
        during_end: date,
        after_start: date,
        after_end: date,
    ) -> dict[str, Any]:
        """Record an inspection round of a unit (HQ or the group): its team, members and the three phases."""
        phases = {"before": (before_start, before_end), "during": (during_start, during_end),
                  "after": (after_start, after_end)}
        InspectionRound.check_recording(title, team_id, member_ids, phases)
        members = sorted({m.strip() for m in member_ids})
        inspection_round = InspectionRound(
            group_id=group_id, unit_id=unit_id, title=title.strip(), team_id=team_id.strip(), member_ids=members,
            before_start=before_start, before_end=before_end, during_start=during_start,
            during_end=during_end, after_start=after_start, after_end=after_end,
        )
        return {"round_id": str(inspection_round.id), "position": self.record(inspection_round)}

    @command
    def open_round(self, round_id: str) -> dict[str, Any]:
        """Open the round: from now on its team's members may see and work on it."""
        inspection_round = self._round(round_id)
        inspection_round.check_open()
        inspection_round.open(opened_at=self.clock.now())
        return {"round_id": round_id, "position": self.record(inspection_round)}

    @command
    def close_round(self, round_id: str, summary: str) -> dict[str, Any]:
        """Close the round: its team's members lose access; rectification follow-up goes on with the group."""
        inspection_round = self._round(round_id)
        inspection_round.check_close(summary)
        inspection_round.close(closed_at=self.clock.now(), summary=summary.strip())
        return {"round_id": round_id, "position": self.record(inspection_round)}

    @command
    def change_round_members(self, round_id: str, member_ids: list[str]) -> dict[str, Any]:
        """Replace the list of the team's members who may access the round."""
        inspection_round = self._round(round_id)
        inspection_round.check_members(member_ids)
        inspection_round.change_members(member_ids=sorted({m.strip() for m in member_ids}))
        return {"round_id": round_id, "position": self.record(inspection_round)}

    # -- before --------------------------------------------------------------------------------
    @command
    def freeze_briefing_package(self, round_id: str, positions: dict[str, int], content_hash: str) -> dict[str, Any]:
        """Record that the briefing package built from these history positions, with this hash, went to the team."""
        inspection_round = self._round(round_id)
        inspection_round.check_freeze_package(positions, content_hash)
        package_id = str(uuid.uuid4())
        inspection_round.freeze_package(
            package_id=package_id, positions={k: int(v) for k, v in sorted(positions.items())},
            content_hash=content_hash, frozen_at=self.clock.now(),
        )
        return {"round_id": round_id, "package_id": package_id, "position": self.record(inspection_round)}

    @command
    def hand_over_clue(self, round_id: str, clue_id: str, reason: str) -> dict[str, Any]:
        """The group leader hands one clue to the team, with a recorded reason (the clue's content is not copied)."""
        inspection_round = self._round(round_id)
        inspection_round.check_hand_over_clue(clue_id, reason)
        inspection_round.hand_over_clue(clue_id=clue_id.strip(), reason=reason.strip(),
                                        handed_over_at=self.clock.now())
        return {"round_id": round_id, "clue_id": clue_id, "position": self.record(inspection_round)}

    # -- during --------------------------------------------------------------------------------
    @command
    def refer_clue(
        self,
        round_id: str,
        subject_name: str,
        subject_unit: str,
        subject_post: str,
        key_person: bool,
        categories: list[str],
        summary: str,
    ) -> dict[str, Any]:
        """The team refers a clue to the group: only the content sealed for the clues service is kept and sent."""
        inspection_round = self._round(round_id)
        content = clue_content(subject_name, subject_unit, subject_post, key_person, categories, summary)
        sealed_content, digest = seal_content(content, self.env)
        inspection_round.check_refer_clue(digest)
        referral_id = str(uuid.uuid4())
        inspection_round.refer_clue(referral_id=referral_id, sealed_content=sealed_content, content_hash=digest,
                                    referred_at=self.clock.now())
        return {"round_id": round_id, "referral_id": referral_id, "position": self.record(inspection_round)}

    @command
    def request_information(self, round_id: str, direction: str, question: str, deadline: date) -> dict[str, Any]:
        """A request for information between team and group, with a deadline."""
        inspection_round = self._round(round_id)
        inspection_round.check_request(direction, question, deadline, self.today())
        request_id = str(uuid.uuid4())
        inspection_round.request_information(request_id=request_id, direction=direction, question=question.strip(),
                                             deadline=deadline, requested_at=self.clock.now())
        return {"round_id": round_id, "request_id": request_id, "position": self.record(inspection_round)}

    @command
    def answer_information(
        self, round_id: str, request_id: str, answer: str, side: str | None = None
    ) -> dict[str, Any]:
        """Answer a request for information (late answers are accepted; the overdue event stays).

        `side` ("team" or "group") is who answers: a request is answered by the side it was addressed to.
        """
        inspection_round = self._round(round_id)
        inspection_round.check_answer(request_id, answer, side)
        inspection_round.answer_information(request_id=request_id, answer=answer.strip(),
                                            answered_at=self.clock.now())
        return {"round_id": round_id, "request_id": request_id, "position": self.record(inspection_round)}

    # -- after ---------------------------------------------------------------------------------
    @command
    def record_finding(
        self, round_id: str, title: str, description: str, problem_type: str, responsible_department: str,
        deadline: date,
    ) -> dict[str, Any]:
        """The team records a finding the unit must rectify by the deadline."""
        inspection_round = self._round(round_id)
        inspection_round.check_finding(title, description, problem_type, responsible_department, deadline,
                                       self.today())
        finding_id = str(uuid.uuid4())
        inspection_round.record_finding(
            finding_id=finding_id, title=title.strip(), description=description.strip(),
            problem_type=problem_type, responsible_department=responsible_department.strip(), deadline=deadline,
        )
        return {"round_id": round_id, "finding_id": finding_id, "position": self.record(inspection_round)}

    @command
    def hand_over_finding(self, round_id: str, finding_id: str) -> dict[str, Any]:
        """Hand a finding over as a rectification item (the ledgers service puts it on the problem list)."""
        inspection_round = self._round(round_id)
        inspection_round.check_hand_over_finding(finding_id)
        item = inspection_round.finding(finding_id)
        inspection_round.hand_over_finding(
            finding_id=finding_id, title=item["title"], description=item["description"],
            problem_type=item["problem_type"], responsible_department=item["responsible_department"],
            deadline=item["deadline"], handed_over_at=self.clock.now(),
        )
        return {"round_id": round_id, "item_id": finding_id, "position": self.record(inspection_round)}

    @command
    def record_rectification_progress(
        self, round_id: str, item_id: str, summary: str, completed: bool = False, source: str = "group",
        source_ref: str | None = None,
    ) -> dict[str, Any]:
        """Record progress of a rectification item on its round, so the team sees how its findings went."""
        inspection_round = self._round(round_id)
        inspection_round.check_progress(item_id, summary)
        inspection_round.record_progress(finding_id=item_id, summary=summary.strip(), completed=completed,
                                         source=source, source_ref=source_ref, reported_at=self.clock.now())
        return {"round_id": round_id, "item_id": item_id, "position": self.record(inspection_round)}

    @command
    def schedule_look_back(self, round_id: str, due_on: date, scope: str) -> dict[str, Any]:
        """Schedule a look-back (回头看) of the round's rectification."""
        inspection_round = self._round(round_id)
        inspection_round.check_schedule_look_back(due_on, scope, self.today())
        look_back_id = str(uuid.uuid4())
        inspection_round.schedule_look_back(look_back_id=look_back_id, due_on=due_on, scope=scope.strip())
        return {"round_id": round_id, "look_back_id": look_back_id, "position": self.record(inspection_round)}

    @command
    def complete_look_back(
        self, round_id: str, look_back_id: str, conclusion: str, reopened_item_ids: list[str] | None = None
    ) -> dict[str, Any]:
        """Record the look-back's conclusion; items whose rectification was not real are reopened."""
        inspection_round = self._round(round_id)
        reopened = list(reopened_item_ids or [])
        inspection_round.check_complete_look_back(look_back_id, conclusion, reopened)
        inspection_round.complete_look_back(look_back_id=look_back_id, conclusion=conclusion.strip(),
                                            reopened=reopened, completed_at=self.clock.now())
        return {"round_id": round_id, "look_back_id": look_back_id, "position": self.record(inspection_round)}

    # -- scheduler -----------------------------------------------------------------------------
    @command
    def check_deadlines(self) -> dict[str, Any]:
        """Record `...Overdue` events for requests and rectification items whose deadline passed (run periodically)."""
        today = self.today()
        overdue: list[dict[str, str]] = []
        position = 0
        for round_id in self.stream_ids(InspectionRound.Recorded):
            inspection_round = self._round(round_id)
            for request_id in inspection_round.overdue_requests(today):
                inspection_round.mark_request_overdue(
                    request_id=request_id, deadline=inspection_round.requests[request_id]["deadline"]
                )
                overdue.append({"round_id": round_id, "request_id": request_id})
            for item_id in inspection_round.overdue_items(today):
                inspection_round.mark_item_overdue(
                    finding_id=item_id, deadline=inspection_round.findings[item_id]["deadline"]
                )
                overdue.append({"round_id": round_id, "item_id": item_id})
            if inspection_round.pending_events:
                position = self.record(inspection_round)
        return {"overdue": overdue, "position": position}

    # -- policies ------------------------------------------------------------------------------
    def round_of_item(self, item_id: str) -> InspectionRound | None:
        for round_id in dict.fromkeys(self.stream_ids(InspectionRound.FindingHandedOver)):
            inspection_round = self._round(round_id)
            if item_id in inspection_round.findings:
                return inspection_round
        return None

    @policy("units.RectificationReported")
    def on_rectification_reported(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[UUID]) -> None:
        """The unit reported on a rectification item handed over by a round: the team sees the progress."""
        inspection_round = self.round_of_item(payload.subject_ref)
        if inspection_round is None:
            return
        item = inspection_round.findings[payload.subject_ref]
        if item["status"] != "handed_over" or item["completed"] or not payload.summary.strip():
            return
        inspection_round.record_progress(
            finding_id=payload.subject_ref, summary=payload.summary.strip(), completed=payload.completed,
            source="unit", source_ref=payload.report_id, reported_at=self.clock.now(),
        )
        processing.collect_events(inspection_round)

    # -- queries -------------------------------------------------------------------------------
    @query
    def get_round(self, round_id: str) -> dict[str, Any]:
        """One round with members and open status (the gateway passes them to authz), and all its records."""
        return round_view(self._round(round_id))

    @query
    def list_rounds(
        self, unit_id: str | None = None, group_id: str | None = None, team_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Rounds, optionally of one unit, group or team; each with what authz needs."""
        rounds = []
        for round_id in self.stream_ids(InspectionRound.Recorded):
            inspection_round = self._round(round_id)
            if unit_id and inspection_round.unit_id != unit_id:
                continue
            if group_id and inspection_round.group_id != group_id:
                continue
            if team_id and inspection_round.team_id != team_id:
                continue
            rounds.append(round_summary(inspection_round))
        return rounds

    @query
    def unit_rectification_items(self, unit_id: str) -> list[dict[str, Any]]:
        """The rectification items addressed to a unit (from rounds and activities): what the unit may see."""
        items = []
        for round_id in dict.fromkeys(self.stream_ids(InspectionRound.FindingHandedOver)):
            inspection_round = self._round(round_id)
            if inspection_round.unit_id != unit_id:
                continue
            for item_id, item in inspection_round.findings.items():
                if item["status"] == "handed_over":
                    items.append(unit_item(item_id, item, round_id=round_id, activity_id=None,
                                           unit_id=unit_id, group_id=inspection_round.group_id))
        items.extend(self.activity_items_for_unit(unit_id))
        return items

