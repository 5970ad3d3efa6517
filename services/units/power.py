"""Power operation (狠抓权力运行): the unit's 三重一大 matters, and per department its power list and risk points."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError, NotFoundError

MATTER_CATEGORIES = {
    "major_decision": "重大决策 (major decision)",
    "cadre_appointment": "重要干部任免 (important cadre appointment)",
    "major_project": "重大项目安排 (major project)",
    "large_fund": "大额资金使用 (large fund use)",
}
SOURCES = {"unit_report": "单位报告 (reported by the unit)", "meeting_observation": "会议监督 (seen at a meeting)"}
RISK_LEVELS = {"high": "高 (high)", "medium": "中 (medium)", "low": "低 (low)"}
POWER_LIST_NAMESPACE = uuid.UUID("9c3c7d43-21d5-4a4e-9d59-706f7765726c")


def check_meeting(meeting: str | None) -> None:
    if not (meeting or "").strip():
        raise InvalidInputError("会议监督须写明会议 (a meeting observation names the meeting)", code="meeting_required")


class PowerMatter(ChainedAggregate):
    """One 三重一大 matter, as the unit reported it or as the group saw it at a leadership meeting."""

    default_distribution = "hq"

    @classmethod
    def register(
        cls, group_id: str, unit_id: str, category: str, title: str, department_id: str, department_name: str,
        decided_on: date, source: str, meeting: str | None, amount_yuan: int | None, submission_id: str | None,
        registered_by: str,
    ) -> PowerMatter:
        cls.check_registration(category, title, source, meeting, amount_yuan)
        return cls(
            group_id=group_id, unit_id=unit_id, category=category, title=title.strip(), department_id=department_id,
            department_name=department_name, decided_on=decided_on, source=source,
            meeting=meeting.strip() if meeting else None, amount_yuan=amount_yuan, submission_id=submission_id,
            registered_by=registered_by,
        )

    @classmethod
    def seen_at_meeting(
        cls, group_id: str, unit_id: str, category: str, title: str, department_id: str, department_name: str,
        decided_on: date, meeting: str, amount_yuan: int | None, observer: str, note: str, concern: bool,
        observed_on: date,
    ) -> PowerMatter:
        """A matter the group saw at a leadership meeting it attended (会议监督), with its first observation."""
        matter = cls.register(
            group_id=group_id, unit_id=unit_id, category=category, title=title, department_id=department_id,
            department_name=department_name, decided_on=decided_on, source="meeting_observation", meeting=meeting,
            amount_yuan=amount_yuan, submission_id=None, registered_by=observer,
        )
        matter.observe(observer=observer, note=note, concern=concern, observed_on=observed_on)
        return matter

    @staticmethod
    def check_registration(
        category: str, title: str, source: str, meeting: str | None, amount_yuan: int | None
    ) -> None:
        """The rules of a matter (the unit's report is checked before its submission is received)."""
        if category not in MATTER_CATEGORIES:
            raise InvalidInputError(f"未知事项类别 (unknown category): {category}", code="unknown_category")
        if not (title or "").strip():
            raise InvalidInputError("事项名称不能为空 (title is required)", code="title_required")
        if source not in SOURCES:
            raise InvalidInputError(f"未知来源 (unknown source): {source}", code="unknown_source")
        if source == "meeting_observation":
            check_meeting(meeting)
        if category == "large_fund" and (amount_yuan is None or amount_yuan <= 0):
            raise InvalidInputError("大额资金须填写金额 (large fund use needs an amount)", code="amount_required")

    @event("Registered")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        category: str,
        title: str,
        department_id: str,
        department_name: str,
        decided_on: date,
        source: str,
        meeting: str | None,
        amount_yuan: int | None,
        submission_id: str | None,
        registered_by: str,
    ) -> None:
        self._keep(locals())
        self.observations: list[dict[str, Any]] = []

    @staticmethod
    def check_observation(note: str) -> None:
        if not (note or "").strip():
            raise InvalidInputError("监督意见不能为空 (observation is required)", code="note_required")

    def observe(self, observer: str, note: str, concern: bool, observed_on: date) -> None:
        self.check_observation(note)
        self._observed(observer=observer, note=note.strip(), concern=concern, observed_on=observed_on)

    @event("ObservationRecorded")
    def _observed(self, observer: str, note: str, concern: bool, observed_on: date) -> None:
        self.observations.append({"observer": observer, "note": note, "concern": concern, "observed_on": observed_on})


class PowerList(ChainedAggregate):
    """Per department: its powers (职权), their boundaries, and the integrity risk points (风险点), with history."""

    default_distribution = "hq"

    @staticmethod
    def create_id(unit_id: str, department_id: str) -> uuid.UUID:
        return uuid.uuid5(POWER_LIST_NAMESPACE, f"powerlist:{unit_id}:{department_id}")

    @event("Established")
    def __init__(self, group_id: str, unit_id: str, department_id: str, department_name: str) -> None:
        self._keep(locals())
        self.powers: list[dict[str, str]] = []
        self.risk_points: dict[str, dict[str, Any]] = {}
        self.history: list[dict[str, Any]] = []

    @staticmethod
    def _clean_powers(powers: list[dict[str, str]]) -> list[dict[str, str]]:
        if not powers:
            raise InvalidInputError("权力清单不能为空 (the power list needs at least one power)", code="powers_required")
        clean = []
        names = set()
        for power in powers:
            name = str(power.get("name") or "").strip()
            if not name:
                raise InvalidInputError("职权名称不能为空 (power name is required)", code="power_name_required")
            if name in names:
                raise InvalidInputError(f"职权重复 (power listed twice): {name}", code="power_duplicate")
            names.add(name)
            clean.append({"name": name, "basis": str(power.get("basis") or "").strip(),
                          "boundary": str(power.get("boundary") or "").strip()})
        return clean

    def revise_powers(self, powers: list[dict[str, str]], revised_on: date, reason: str) -> None:
        self._powers_revised(powers=self._clean_powers(powers), revised_on=revised_on, reason=reason.strip(),
                             department_id=self.department_id, department_name=self.department_name)

    @event("PowersRevised")
    def _powers_revised(
        self, powers: list[dict[str, str]], revised_on: date, reason: str, department_id: str, department_name: str
    ) -> None:
        self.powers = powers
        self.history.append({"change": "powers_revised", "on": revised_on, "reason": reason,
                             "powers": [p["name"] for p in powers]})

    def _check_risk_point(self, point_id: str, power: str, description: str, level: str) -> None:
        if point_id in self.risk_points:
            raise ConflictError(f"风险点已存在 (risk point exists): {point_id}", code="risk_point_exists")
        if power not in {p["name"] for p in self.powers}:
            raise InvalidInputError(f"风险点须对应清单中的职权 (the risk point's power is not listed): {power}",
                                    code="power_not_listed")
        if not (description or "").strip():
            raise InvalidInputError("风险点描述不能为空 (description is required)", code="description_required")
        if level not in RISK_LEVELS:
            raise InvalidInputError("风险等级须为高、中、低 (level must be high, medium or low)", code="level_invalid")

    def record_risk_point(
        self, point_id: str, power: str, description: str, level: str, controls: str, recorded_on: date
    ) -> None:
        self._check_risk_point(point_id, power, description, level)
        self._risk_point_recorded(point_id=point_id, power=power, description=description.strip(), level=level,
                                  controls=controls.strip(), recorded_on=recorded_on, department_id=self.department_id)

    @event("RiskPointRecorded")
    def _risk_point_recorded(
        self, point_id: str, power: str, description: str, level: str, controls: str, recorded_on: date,
        department_id: str,
    ) -> None:
        self.risk_points[point_id] = {"point_id": point_id, "power": power, "description": description,
                                      "level": level, "controls": controls, "since": recorded_on, "retired": None}
        self.history.append({"change": "risk_point_recorded", "on": recorded_on, "point_id": point_id})

    def _check_retire(self, point_id: str, reason: str) -> None:
        point = self.risk_points.get(point_id)
        if point is None:
            raise NotFoundError(f"风险点不存在 (risk point not found): {point_id}", code="risk_point_not_found")
        if point["retired"] is not None:
            raise ConflictError("风险点已销号 (risk point already retired)", code="risk_point_retired")
        if not (reason or "").strip():
            raise InvalidInputError("须说明理由 (a reason is required)", code="reason_required")

    def retire_risk_point(self, point_id: str, reason: str, retired_on: date) -> None:
        self._check_retire(point_id, reason)
        point = self.risk_points[point_id]
        self._risk_point_retired(point_id=point_id, reason=reason.strip(), retired_on=retired_on,
                                 department_id=self.department_id, power=point["power"], level=point["level"])

    @event("RiskPointRetired")
    def _risk_point_retired(
        self, point_id: str, reason: str, retired_on: date, department_id: str, power: str, level: str
    ) -> None:
        self.risk_points[point_id]["retired"] = {"on": retired_on, "reason": reason}
        self.history.append({"change": "risk_point_retired", "on": retired_on, "point_id": point_id})
