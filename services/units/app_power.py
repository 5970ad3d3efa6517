"""Commands and queries of power operation, upward reporting, consultations and joint announcements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.common.application import command, query
from services.common.errors import NotFoundError
from services.units.base import UnitsBase, jsonable
from services.units.power import MATTER_CATEGORIES, PowerList, PowerMatter
from services.units.upward import Consultation, JointAnnouncement, UpwardSubmission


class PowerCommands(UnitsBase):
    @command
    def observe_power_matter(
        self, unit_id: str, category: str, title: str, department_id: str, decided_on: date, meeting: str,
        note: str, concern: bool = False, amount_yuan: int | None = None,
    ) -> dict[str, Any]:
        """Register a 三重一大 matter the group saw at a leadership meeting it attended (会议监督)."""
        unit = self.unit(unit_id)
        department = unit.department(department_id)
        PowerMatter.check_registration(category, title, "meeting_observation", meeting, amount_yuan)
        PowerMatter.check_observation(note)
        actor = self.actor()["user"]
        matter = PowerMatter(
            group_id=unit.group_id, unit_id=unit_id, category=category, title=title.strip(),
            department_id=department_id, department_name=department["name"], decided_on=decided_on,
            source="meeting_observation", meeting=meeting.strip(), amount_yuan=amount_yuan, submission_id=None,
            registered_by=actor,
        )
        matter.observe(observer=actor, note=note.strip(), concern=concern, observed_on=self.today())
        return {"matter_id": str(matter.id), "position": self.record(matter)}

    @command
    def record_power_observation(self, matter_id: str, note: str, concern: bool = False) -> dict[str, Any]:
        """Add the group's observation on a 三重一大 matter."""
        matter: PowerMatter = self.load(matter_id, PowerMatter)
        matter.check_observation(note)
        matter.observe(observer=self.actor()["user"], note=note.strip(), concern=concern, observed_on=self.today())
        return {"matter_id": matter_id, "position": self.record(matter)}

    def _power_list(self, unit_id: str, department_id: str) -> PowerList:
        unit = self.unit(unit_id)
        department = unit.department(department_id)
        try:
            found: PowerList = self.load(PowerList.create_id(unit_id, department_id), PowerList)
        except NotFoundError:
            found = PowerList(group_id=unit.group_id, unit_id=unit_id, department_id=department_id,
                              department_name=department["name"])
        return found

    @command
    def revise_power_list(
        self, unit_id: str, department_id: str, powers: list[dict[str, str]], reason: str = ""
    ) -> dict[str, Any]:
        """Set a department's power list (职权, basis, boundary); earlier versions stay in its history."""
        power_list = self._power_list(unit_id, department_id)
        clean = PowerList.check_powers(powers)
        power_list.revise_powers(powers=clean, revised_on=self.today(), reason=reason.strip())
        return {"department_id": department_id, "position": self.record(power_list)}

    @command
    def record_risk_point(
        self, unit_id: str, department_id: str, power: str, description: str, level: str, controls: str = ""
    ) -> dict[str, Any]:
        """Record an integrity risk point (风险点) on a listed power, with its controls."""
        power_list = self._power_list(unit_id, department_id)
        point_id = str(uuid.uuid4())
        power_list.check_risk_point(point_id, power, description, level)
        power_list.record_risk_point(point_id=point_id, power=power, description=description.strip(), level=level,
                                     controls=controls.strip(), recorded_on=self.today())
        return {"point_id": point_id, "position": self.record(power_list)}

    @command
    def retire_risk_point(self, unit_id: str, department_id: str, point_id: str, reason: str) -> dict[str, Any]:
        """Retire a risk point that no longer applies (kept in the history)."""
        power_list = self._power_list(unit_id, department_id)
        power_list.check_retire(point_id, reason)
        power_list.retire_risk_point(point_id=point_id, reason=reason.strip(), retired_on=self.today())
        return {"point_id": point_id, "position": self.record(power_list)}

    # -- upward, consultations, announcements -----------------------------------------------
    @command
    def submit_upward(self, group_id: str, kind: str, title: str, body: str,
                      unit_id: str | None = None) -> dict[str, Any]:
        """A request (请示) or report (报告) from the group to the commission."""
        UpwardSubmission.check_submission(kind, title, body)
        submission = UpwardSubmission(group_id=group_id, unit_id=unit_id, kind=kind, title=title.strip(),
                                      body=body.strip(), submitted_by=self.actor()["user"], submitted_on=self.today())
        return {"upward_id": str(submission.id), "position": self.record(submission)}

    @command
    def reply_upward(self, upward_id: str, reply: str, final: bool = True) -> dict[str, Any]:
        """The commission's reply (批复) to a request or report."""
        submission: UpwardSubmission = self.load(upward_id, UpwardSubmission)
        submission.check_reply(reply)
        submission.reply(replied_by=self.actor()["user"], reply=reply.strip(), final=final,
                         replied_on=self.today())
        return {"upward_id": upward_id, "position": self.record(submission)}

    @command
    def hold_consultation(
        self, unit_id: str, kind: str, held_on: date, participants: list[str], topics: list[str], minutes: str,
        actions: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Record a consultation with the unit (定期会商) with its minutes and agreed actions."""
        unit = self.unit(unit_id)
        actions = list(actions or [])
        Consultation.check_consultation(kind, topics, minutes, actions)
        clean = [{"action_id": str(uuid.uuid4()), "text": str(a["text"]).strip(), "owner": str(a["owner"]).strip(),
                  "due": jsonable(a.get("due"))} for a in actions]
        consultation = Consultation(group_id=unit.group_id, unit_id=unit_id, kind=kind, held_on=held_on,
                                    participants=list(participants), topics=[t.strip() for t in topics],
                                    minutes=minutes.strip(), actions=clean)
        return {"consultation_id": str(consultation.id), "action_ids": [a["action_id"] for a in clean],
                "position": self.record(consultation)}

    @command
    def complete_consultation_action(self, consultation_id: str, action_id: str, note: str = "") -> dict[str, Any]:
        """Mark an agreed action as done."""
        consultation: Consultation = self.load(consultation_id, Consultation)
        consultation.check_action_done(action_id)
        consultation.complete_action(action_id=action_id, note=note.strip(), done_on=self.today())
        return {"consultation_id": consultation_id, "position": self.record(consultation)}

    @command
    def announce_joint_supervision(self, unit_id: str, title: str, body: str) -> dict[str, Any]:
        """Publish a joint supervision announcement (联合监督通报) with the unit."""
        unit = self.unit(unit_id)
        JointAnnouncement.check_announcement(title, body)
        announcement = JointAnnouncement(group_id=unit.group_id, unit_id=unit_id, title=title.strip(),
                                         body=body.strip(), published_on=self.today(),
                                         published_by=self.actor()["user"])
        return {"announcement_id": str(announcement.id), "position": self.record(announcement)}

    # -- queries ----------------------------------------------------------------------------
    @staticmethod
    def matter_view(matter: PowerMatter) -> dict[str, Any]:
        return {
            "matter_id": str(matter.id), "group_id": matter.group_id, "unit_id": matter.unit_id,
            "distribution": matter.default_distribution, "category": matter.category,
            "category_label": MATTER_CATEGORIES[matter.category], "title": matter.title,
            "department_id": matter.department_id, "department_name": matter.department_name,
            "decided_on": matter.decided_on.isoformat(), "source": matter.source, "meeting": matter.meeting,
            "amount_yuan": matter.amount_yuan, "submission_id": matter.submission_id,
            "observations": jsonable(matter.observations), "version": matter.version,
        }

    @query
    def get_power_matter(self, matter_id: str) -> dict[str, Any]:
        """One 三重一大 matter with the group's observations."""
        return self.matter_view(self.load(matter_id, PowerMatter))

    @query
    def list_power_matters(self, unit_id: str, category: str | None = None) -> list[dict[str, Any]]:
        """The unit's 三重一大 matters by decision date."""
        rows = [self.matter_view(m) for m in self.all_of(PowerMatter.Registered, PowerMatter, unit_id)
                if category is None or m.category == category]
        return sorted(rows, key=lambda r: r["decided_on"])

    @query
    def get_power_list(self, unit_id: str, department_id: str) -> dict[str, Any]:
        """A department's power list and risk points, with their history."""
        unit = self.unit(unit_id)
        unit.department(department_id)
        try:
            power_list: PowerList = self.load(PowerList.create_id(unit_id, department_id), PowerList)
        except NotFoundError:
            return {"unit_id": unit_id, "group_id": unit.group_id, "department_id": department_id,
                    "distribution": PowerList.default_distribution, "powers": [], "risk_points": [], "history": []}
        return {
            "unit_id": unit_id, "group_id": power_list.group_id, "department_id": department_id,
            "distribution": power_list.default_distribution, "department_name": power_list.department_name,
            "powers": power_list.powers, "risk_points": jsonable(list(power_list.risk_points.values())),
            "history": jsonable(power_list.history), "version": power_list.version,
        }

    @query
    def get_upward(self, upward_id: str) -> dict[str, Any]:
        """A request or report to the commission with its replies."""
        s: UpwardSubmission = self.load(upward_id, UpwardSubmission)
        return {"upward_id": str(s.id), "group_id": s.group_id, "unit_id": s.unit_id,
                "distribution": s.default_distribution, "kind": s.kind, "title": s.title, "body": s.body,
                "submitted_by": s.submitted_by, "submitted_on": s.submitted_on.isoformat(),
                "replies": jsonable(s.replies), "version": s.version}

    @query
    def list_upward(self, group_id: str | None = None) -> list[dict[str, Any]]:
        """Requests and reports to the commission (all, or one group's)."""
        found = self.all_of(UpwardSubmission.Submitted, UpwardSubmission)
        return [self.get_upward(str(s.id)) for s in found if group_id is None or s.group_id == group_id]

    @query
    def get_consultation(self, consultation_id: str) -> dict[str, Any]:
        """A consultation with minutes and agreed actions."""
        c: Consultation = self.load(consultation_id, Consultation)
        return {"consultation_id": str(c.id), "group_id": c.group_id, "unit_id": c.unit_id,
                "distribution": c.default_distribution, "kind": c.kind, "held_on": c.held_on.isoformat(),
                "participants": c.participants, "topics": c.topics, "minutes": c.minutes,
                "actions": jsonable(list(c.actions.values())), "version": c.version}

    @query
    def list_consultations(self, unit_id: str) -> list[dict[str, Any]]:
        """Consultations with the unit, by date."""
        found = self.all_of(Consultation.Held, Consultation, unit_id)
        return sorted((self.get_consultation(str(c.id)) for c in found), key=lambda r: r["held_on"])

    @query
    def list_announcements(self, unit_id: str) -> list[dict[str, Any]]:
        """Joint supervision announcements with the unit."""
        found = self.all_of(JointAnnouncement.Published, JointAnnouncement, unit_id)
        return [{"announcement_id": str(a.id), "group_id": a.group_id, "unit_id": a.unit_id,
                 "distribution": a.default_distribution, "title": a.title, "body": a.body,
                 "published_on": a.published_on.isoformat(), "published_by": a.published_by} for a in found]
