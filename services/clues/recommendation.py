"""Supervision recommendations (纪检监察建议): issued to the unit, answered, rectified, closed.

A recommendation names no clue and no person; the clues it came from record the link on their side.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from authz import Scope
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

RECOMMENDATION_STATUS_LABELS = {
    "drafted": "起草中 (drafted, inside the group)",
    "issued": "已发出 (issued to the unit)",
    "responded": "单位已反馈 (the unit reported on its rectification)",
    "closed": "已销号 (closed)",
}


RecommendationStateError = ConflictError.kind("RecommendationStateError", "recommendation_state")


def _lines(values: list[str], what: str, code: str) -> list[str]:
    clean = [v.strip() for v in values if v and v.strip()]
    if not clean:
        raise InvalidInputError(f"{what}不能为空 ({code.replace('_', ' ')})", code=code)
    return clean


class Recommendation(ChainedAggregate):
    """Drafted inside the group; once issued, the unit it is addressed to sees it."""

    default_distribution = "unit"
    event_distribution = {"Drafted": "group"}

    @event("Drafted")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        reference_number: str,
        title: str,
        problems: list[str],
        recommendations: list[str],
        responsible_department: str,
        deadline: date,
    ) -> None:
        self._keep(locals())
        self.problems = list(problems)
        self.recommendations = list(recommendations)
        self.status = "drafted"
        self.issued_on: date | None = None
        self.responses: list[dict[str, Any]] = []
        self.closure: dict[str, Any] | None = None
        self.overdue = False

    @classmethod
    def draft(
        cls, *, group_id: str, unit_id: str, reference_number: str, title: str, problems: list[str],
        recommendations: list[str], responsible_department: str, deadline: date,
    ) -> Recommendation:
        """A draft, refused when any of its parts is blank."""
        if not reference_number.strip():
            raise InvalidInputError("文号不能为空 (reference number is required)", code="reference_required")
        if not title.strip():
            raise InvalidInputError("标题不能为空 (title is required)", code="title_required")
        if not responsible_department.strip():
            raise InvalidInputError("责任部门不能为空 (responsible department is required)", code="department_required")
        return cls(
            group_id=group_id,
            unit_id=unit_id,
            reference_number=reference_number.strip(),
            title=title.strip(),
            problems=_lines(problems, "问题", "problems_required"),
            recommendations=_lines(recommendations, "建议", "recommendations_required"),
            responsible_department=responsible_department.strip(),
            deadline=deadline,
        )

    def access_scope(self) -> Scope:
        """The group while drafted; once issued also HQ and the unit it is addressed to."""
        return Scope(group_id=self.group_id, unit_id=self.unit_id,
                     distribution="group" if self.status == "drafted" else "unit")

    def issue(self, issued_on: date) -> None:
        if self.status != "drafted":
            raise RecommendationStateError("建议已发出 (recommendation already issued)")
        if self.deadline <= issued_on:
            raise InvalidInputError("整改期限须晚于发出日期 (deadline must be after issue date)", code="deadline_past")
        self._issued(
            issued_on=issued_on,
            reference_number=self.reference_number,
            title=self.title,
            problems=self.problems,
            recommendations=self.recommendations,
            responsible_department=self.responsible_department,
            deadline=self.deadline,
        )

    @event("Issued")
    def _issued(
        self, issued_on: date, reference_number: str, title: str, problems: list[str],
        recommendations: list[str], responsible_department: str, deadline: date,
    ) -> None:
        # The issued text is repeated in the event: the unit's copy is exactly what was issued.
        self.status = "issued"
        self.issued_on = issued_on

    def record_response(self, report_id: str, summary: str, completed: bool, received_on: date) -> None:
        if self.status not in ("issued", "responded"):
            raise RecommendationStateError("建议未发出或已销号 (recommendation not issued or already closed)")
        if any(r["report_id"] == report_id for r in self.responses):
            return
        if not summary.strip():
            raise InvalidInputError("整改情况不能为空 (summary is required)", code="summary_required")
        self._responded(report_id=report_id, summary=summary.strip(), completed=completed, received_on=received_on)

    @event("ResponseRecorded")
    def _responded(self, report_id: str, summary: str, completed: bool, received_on: date) -> None:
        self.responses.append(
            {"report_id": report_id, "summary": summary, "completed": completed, "received_on": received_on}
        )
        self.status = "responded"

    def close(self, closed_on: date, evidence: str) -> None:
        if self.status != "responded" or not any(r["completed"] for r in self.responses):
            raise RecommendationStateError(
                "单位报告整改完成后才能销号 (close only after the unit reports the rectification completed)"
            )
        if not evidence.strip():
            raise InvalidInputError("销号需要证据 (closure needs evidence)", code="evidence_required")
        self._closed(closed_on=closed_on, evidence=evidence.strip())

    @event("Closed")
    def _closed(self, closed_on: date, evidence: str) -> None:
        self.status = "closed"
        self.closure = {"closed_on": closed_on, "evidence": evidence}

    def passed(self, today: date) -> bool:
        return self.status in ("issued", "responded") and not self.overdue and self.deadline < today

    def mark_overdue(self, today: date) -> bool:
        if not self.passed(today):
            return False
        self._overdue(deadline=self.deadline)
        return True

    @event("Overdue")
    def _overdue(self, deadline: date) -> None:
        self.overdue = True
