"""The group's quarterly review (组务会季度专题研究) and its self look-back (自身回头看)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
LOOK_BACK_PARTS = ("good_practices", "shortcomings", "causes", "measures")
"""好的做法、存在不足、原因分析、改进措施"""


ReviewExistsError = ConflictError.kind("ReviewExistsError", "review_exists")
LookBackRecordedError = ConflictError.kind("LookBackRecordedError", "look_back_recorded")


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of a quarter written like 2025Q1."""
    match = _QUARTER.match(quarter.strip())
    if match is None or not 2000 <= int(match[1]) <= 2100:
        raise InvalidInputError(f"季度格式应如 2025Q1 (quarter must look like 2025Q1): {quarter}",
                                code="bad_quarter")
    year, number = int(match[1]), int(match[2])
    first = date(year, 3 * number - 2, 1)
    last = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def _texts(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


class QuarterlyReview(ChainedAggregate):
    """One group's quarterly review meeting on its political-supervision work, and its self look-back."""

    default_distribution = "hq"

    @staticmethod
    def create_id(group_id: str, quarter: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:ledgers:quarterly-review:{group_id}:{quarter}")

    @classmethod
    def hold(
        cls,
        *,
        group_id: str,
        quarter: str,
        meeting_on: date,
        today: date,
        chaired_by: str,
        attendees: list[str],
        topics: list[str],
        decisions: list[str],
        follow_ups: list[dict[str, Any]],
    ) -> QuarterlyReview:
        """The record of a quarter's meeting, after checking it is complete."""
        actions = cls.check_meeting(quarter, meeting_on, today, attendees, topics, decisions, follow_ups)
        return cls(group_id=group_id, quarter=quarter, meeting_on=meeting_on, chaired_by=chaired_by.strip(),
                   attendees=attendees, topics=topics, decisions=decisions, follow_ups=actions)

    @staticmethod
    def check_meeting(
        quarter: str,
        meeting_on: date,
        today: date,
        attendees: list[str],
        topics: list[str],
        decisions: list[str],
        follow_ups: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """The follow-up actions as recorded (each with action, owner, deadline); refuses an incomplete record."""
        first, _ = quarter_bounds(quarter)
        if meeting_on < first:
            raise InvalidInputError("会议日期早于该季度 (the meeting cannot precede its quarter)",
                                    code="meeting_before_quarter")
        if meeting_on > today:
            raise InvalidInputError("会议日期不能晚于今天 (the meeting date is in the future)",
                                    code="meeting_in_future")
        if not _texts(attendees):
            raise InvalidInputError("须记录参会人员 (attendees required)", code="attendees_required")
        if not _texts(topics):
            raise InvalidInputError("须记录研究的专题 (topics required)", code="topics_required")
        if not _texts(decisions):
            raise InvalidInputError("须记录会议决定 (decisions required)", code="decisions_required")
        actions = []
        for number, follow_up in enumerate(follow_ups, start=1):
            action = str(follow_up.get("action") or "").strip()
            owner = str(follow_up.get("owner") or "").strip()
            deadline = follow_up.get("deadline")
            if isinstance(deadline, str):
                deadline = date.fromisoformat(deadline)
            if not action or not owner or not isinstance(deadline, date):
                raise InvalidInputError(
                    f"第{number}项后续措施须有内容、责任人和期限 (follow-up {number} needs action, owner, deadline)",
                    code="follow_up_incomplete",
                )
            if deadline < meeting_on:
                raise InvalidInputError(
                    f"第{number}项后续措施期限早于会议日期 (follow-up {number} is due before the meeting)",
                    code="follow_up_deadline",
                )
            actions.append({"action": action, "owner": owner, "deadline": deadline})
        return actions

    @event("Held")
    def __init__(
        self,
        group_id: str,
        quarter: str,
        meeting_on: date,
        chaired_by: str,
        attendees: list[str],
        topics: list[str],
        decisions: list[str],
        follow_ups: list[dict[str, Any]],
    ) -> None:
        self._keep(locals())
        self.unit_id: str | None = None
        self.attendees = _texts(attendees)
        self.topics = _texts(topics)
        self.decisions = _texts(decisions)
        self.follow_ups = [dict(f, completed_on=None, note=None) for f in follow_ups]
        self.look_back: dict[str, Any] | None = None

    def check_look_back(self, parts: dict[str, list[str]]) -> dict[str, list[str]]:
        if self.look_back is not None:
            raise LookBackRecordedError("本季度自身回头看已记录 (this quarter's self look-back is recorded)")
        cleaned = {part: _texts(parts.get(part) or []) for part in LOOK_BACK_PARTS}
        if not cleaned["good_practices"] and not cleaned["shortcomings"]:
            raise InvalidInputError("须写明好的做法或存在的不足 (good practices or shortcomings required)",
                                    code="findings_required")
        if cleaned["shortcomings"] and not (cleaned["causes"] and cleaned["measures"]):
            raise InvalidInputError("存在不足须分析原因并提出改进措施 (shortcomings need causes and measures)",
                                    code="measures_required")
        return cleaned

    def record_look_back(self, parts: dict[str, list[str]], recorded_on: date) -> None:
        """自身回头看: good practices, shortcomings, their causes and measures (once per quarter)."""
        self._record_look_back(**self.check_look_back(parts), recorded_on=recorded_on)

    @event("SelfLookBackRecorded")
    def _record_look_back(
        self, good_practices: list[str], shortcomings: list[str], causes: list[str], measures: list[str],
        recorded_on: date,
    ) -> None:
        self.look_back = {"good_practices": good_practices, "shortcomings": shortcomings, "causes": causes,
                          "measures": measures, "recorded_on": recorded_on}

    def check_follow_up_completion(self, index: int, note: str) -> None:
        if not 0 <= index < len(self.follow_ups):
            raise InvalidInputError("后续措施不存在 (no such follow-up action)", code="no_such_follow_up")
        if self.follow_ups[index]["completed_on"] is not None:
            raise ConflictError("该项后续措施已完成 (follow-up already completed)", code="follow_up_completed")
        if not note.strip():
            raise InvalidInputError("须说明完成情况 (a note is required)", code="note_required")

    def complete_follow_up(self, index: int, note: str, completed_on: date) -> None:
        self.check_follow_up_completion(index, note)
        self._complete_follow_up(index=index, note=note.strip(), completed_on=completed_on)

    @event("FollowUpCompleted")
    def _complete_follow_up(self, index: int, note: str, completed_on: date) -> None:
        self.follow_ups[index]["completed_on"] = completed_on
        self.follow_ups[index]["note"] = note
