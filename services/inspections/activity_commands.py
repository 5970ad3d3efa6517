"""Commands and queries of supervision activities (a base of the inspections application)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from eventsourcing.utils import get_topic

from services.common.application import ServiceApplication, command, query
from services.common.clock import CHINA_TZ
from services.inspections.activities import SupervisionActivity
from services.inspections.sealing import clue_content, seal_content
from services.inspections.views import activity_view, unit_item


class ActivityCommands(ServiceApplication):
    """The group's supervision activities: embedded, tracking, pinpoint, joint, consultation, special."""

    def today(self) -> date:
        return self.clock.now().astimezone(CHINA_TZ).date()

    def stream_ids(self, event_class: type[Any], batch: int = 500) -> Iterator[str]:
        """Ids of aggregates that recorded an event of this class, oldest first (the read side will come)."""
        topic = get_topic(event_class)
        start = 1
        while True:
            notifications = self.recorder.select_notifications(start=start, limit=batch, topics=[topic])
            for notification in notifications:
                yield str(notification.originator_id)
            if len(notifications) < batch:
                return
            start = notifications[-1].id + 1

    def _activity(self, activity_id: str) -> SupervisionActivity:
        found: SupervisionActivity = self.load(activity_id, SupervisionActivity)
        return found

    @command
    def plan_activity(
        self,
        group_id: str,
        unit_id: str,
        kind: str,
        title: str,
        plan: str,
        participant_ids: list[str],
        methods: list[str],
        start_on: date,
        end_on: date,
        leader_id: str | None = None,
        hq_offices: list[str] | None = None,
        topic: str | None = None,
    ) -> dict[str, Any]:
        """Plan a supervision activity: its kind, plan, participants, methods and dates."""
        offices = [o.strip() for o in (hq_offices or []) if o.strip()]
        SupervisionActivity.check_planning(kind, title, plan, participant_ids, methods, start_on, end_on,
                                           leader_id, offices)
        activity = SupervisionActivity(
            group_id=group_id, unit_id=unit_id, kind=kind, title=title.strip(), plan=plan.strip(),
            participant_ids=list(dict.fromkeys(p.strip() for p in participant_ids)),
            methods=list(dict.fromkeys(methods)), start_on=start_on, end_on=end_on, leader_id=leader_id,
            hq_offices=offices, topic=topic,
        )
        return {"activity_id": str(activity.id), "position": self.record(activity)}

    @command
    def start_activity(self, activity_id: str, started_on: date) -> dict[str, Any]:
        """Start carrying out a planned activity."""
        activity = self._activity(activity_id)
        activity.check_start()
        activity.start(started_on=started_on)
        return {"activity_id": activity_id, "position": self.record(activity)}

    @command
    def record_activity_work(
        self, activity_id: str, method: str, held_on: date, summary: str, participant_ids: list[str] | None = None
    ) -> dict[str, Any]:
        """Record one piece of work done by one of the planned methods (the whole-process record)."""
        activity = self._activity(activity_id)
        activity.check_work_record(method, held_on, summary)
        activity.record_work(method=method, held_on=held_on, summary=summary.strip(),
                             participant_ids=list(participant_ids or activity.participant_ids))
        return {"activity_id": activity_id, "position": self.record(activity)}

    @command
    def record_activity_finding(self, activity_id: str, summary: str) -> dict[str, Any]:
        """Record a problem the activity found."""
        activity = self._activity(activity_id)
        activity.check_finding(summary)
        finding_id = str(uuid.uuid4())
        activity.record_finding(finding_id=finding_id, summary=summary.strip())
        return {"activity_id": activity_id, "finding_id": finding_id, "position": self.record(activity)}

    @command
    def hand_over_activity_finding(
        self, activity_id: str, finding_id: str, title: str, problem_type: str, responsible_department: str,
        deadline: date, description: str | None = None,
    ) -> dict[str, Any]:
        """Turn a finding into a rectification item (problem list of the ledgers service)."""
        activity = self._activity(activity_id)
        activity.check_hand_over(finding_id, title, problem_type, responsible_department, deadline, self.today())
        activity.hand_over_finding(
            finding_id=finding_id, title=title.strip(),
            description=(description or activity.finding(finding_id)["summary"]).strip(),
            problem_type=problem_type, responsible_department=responsible_department.strip(), deadline=deadline,
        )
        return {"activity_id": activity_id, "item_id": finding_id, "position": self.record(activity)}

    @command
    def refer_activity_finding(
        self, activity_id: str, finding_id: str, subject_name: str, subject_unit: str, subject_post: str,
        key_person: bool, categories: list[str], summary: str,
    ) -> dict[str, Any]:
        """Turn a finding into a clue for the clues service: its content is sealed, never kept in plaintext."""
        activity = self._activity(activity_id)
        activity.check_finding_outcome(finding_id)
        content = clue_content(subject_name, subject_unit, subject_post, key_person, categories, summary)
        sealed_content, digest = seal_content(content, self.env)
        activity.refer_finding(finding_id=finding_id, sealed_content=sealed_content, content_hash=digest,
                               referred_at=self.clock.now())
        return {"activity_id": activity_id, "referral_id": finding_id, "position": self.record(activity)}

    @command
    def complete_activity(self, activity_id: str, conclusion: str, completed_on: date) -> dict[str, Any]:
        """Complete the activity with its conclusion."""
        activity = self._activity(activity_id)
        activity.check_complete(conclusion)
        activity.complete(conclusion=conclusion.strip(), completed_on=completed_on, findings=len(activity.findings))
        return {"activity_id": activity_id, "position": self.record(activity)}

    @query
    def get_activity(self, activity_id: str) -> dict[str, Any]:
        """One supervision activity with its plan, record and findings."""
        return activity_view(self._activity(activity_id))

    @query
    def list_activities(
        self, group_id: str | None = None, unit_id: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """Supervision activities, optionally of one group, unit or kind."""
        found = []
        for activity_id in self.stream_ids(SupervisionActivity.Planned):
            activity = self._activity(activity_id)
            if (group_id and activity.group_id != group_id) or (unit_id and activity.unit_id != unit_id):
                continue
            if kind and activity.kind != kind:
                continue
            found.append(activity_view(activity))
        return found

    def activity_items_for_unit(self, unit_id: str) -> list[dict[str, Any]]:
        items = []
        for activity_id in dict.fromkeys(self.stream_ids(SupervisionActivity.FindingHandedOver)):
            activity = self._activity(activity_id)
            if activity.unit_id != unit_id:
                continue
            for finding_id, finding in activity.findings.items():
                if finding["outcome"] == "rectification_item":
                    items.append(unit_item(finding_id, finding["item"], round_id=None, activity_id=activity_id,
                                           unit_id=unit_id, group_id=activity.group_id))
        return items
