"""Supervising people as well as matters (既监督事也监督人): the group's own file on a person of the unit's roster.

Seed 002 "盯住‘两个重点’…特别是‘一把手’…评价党员领导干部是否既挂帅又出征，是否在思想上行动上真重视真落实" and
"研究判断…是政治站位不高，还是能力作风不硬；是履职担当不足"; seed 000 "紧盯‘关键少数’" and "熟悉被监督单位干部和
重点人". One aggregate per (unit, person), group-internal (distribution `group`: never the unit, never HQ's
dashboards): the key-person flag (重点人) with its reason, and the evaluation of a responsible leader per period.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import InvalidInputError
from services.units.inbound import EVALUATION_GRADES

EVALUATION_ASPECTS = {
    "political_stance": "政治站位 (political stance)",
    "leads_in_person": "既挂帅又出征 (leads in person)",
    "real_implementation": "真重视真落实 (real attention and implementation)",
    "duty_and_responsibility": "履职担当 (duty and responsibility)",
    "work_style": "作风 (work style)",
    "integrity": "廉洁自律 (integrity and self-discipline)",
}
REQUIRED_ASPECTS = ("work_style",)
"""An evaluation always says how the leader's work style (作风) is: the seed's 能力作风."""
PERIOD_PATTERN = re.compile(r"^(20\d\d|2100)(H[12]|Q[1-4])?$")
SUPERVISION_NAMESPACE = uuid.UUID("0c8f3a51-2d64-4b7e-9a31-7065726f706c")


def check_period(period: str) -> str:
    if not PERIOD_PATTERN.match(period or ""):
        raise InvalidInputError("评价期间须为年度、半年或季度，如 2026、2026H1、2026Q3 (period: 2026, 2026H1 or 2026Q3)",
                                code="period_invalid")
    return period


def check_aspects(aspects: dict[str, str]) -> None:
    unknown = [a for a in aspects if a not in EVALUATION_ASPECTS]
    if unknown:
        raise InvalidInputError(f"未知评价维度 (unknown aspects): {unknown}", code="unknown_aspect")
    missing = [a for a in REQUIRED_ASPECTS if a not in aspects]
    if missing:
        raise InvalidInputError("须评价作风 (work style must be evaluated)", code="work_style_required")
    bad = [a for a, grade in aspects.items() if grade not in EVALUATION_GRADES]
    if bad:
        raise InvalidInputError(f"评价等次须为 {', '.join(EVALUATION_GRADES)} (grade invalid): {bad}",
                                code="grade_invalid")


class PersonSupervision(ChainedAggregate):
    """The group's file on one person of a unit: key-person flag and leader evaluations (group-internal)."""

    default_distribution = "group"

    @staticmethod
    def create_id(unit_id: str, person_id: str) -> uuid.UUID:
        return uuid.uuid5(SUPERVISION_NAMESPACE, f"{unit_id}:{person_id}")

    @classmethod
    def open(cls, group_id: str, unit_id: str, person_id: str, person_name: str) -> PersonSupervision:
        return cls(group_id=group_id, unit_id=unit_id, person_id=person_id, person_name=person_name)

    @event("Opened")
    def __init__(self, group_id: str, unit_id: str, person_id: str, person_name: str) -> None:
        self._keep(locals())
        self.key_person: dict[str, Any] | None = None
        self.evaluations: dict[str, dict[str, Any]] = {}

    # -- 重点人 ---------------------------------------------------------------------------------------
    def flag_key_person(self, flagged: bool, reason: str, on: date, by: str) -> None:
        if not (reason or "").strip():
            raise InvalidInputError("须说明理由 (a reason is required)", code="reason_required")
        if flagged == (self.key_person is not None):
            raise InvalidInputError("标记未变化 (the flag is already so)", code="flag_unchanged")
        self._key_person_flagged(flagged=flagged, reason=reason.strip(), on=on, by=by, **self._facts())

    def _facts(self) -> dict[str, str]:
        """What every event repeats, so consumers need not keep the file to understand it."""
        return {"person_id": self.person_id, "person_name": self.person_name}

    @event("KeyPersonFlagged")
    def _key_person_flagged(self, flagged: bool, reason: str, on: date, by: str, person_id: str,
                            person_name: str) -> None:
        self.key_person = {"reason": reason, "since": on, "by": by} if flagged else None

    # -- evaluation of a responsible leader ------------------------------------------------------------
    def evaluate(self, period: str, aspects: dict[str, str], overall: str, observation: str, on: date,
                 by: str) -> str:
        """Record (or revise) the evaluation of `period`; the evaluation's id."""
        check_period(period)
        check_aspects(aspects)
        if overall not in EVALUATION_GRADES:
            raise InvalidInputError(f"总体评价须为 {', '.join(EVALUATION_GRADES)} (overall invalid)",
                                    code="grade_invalid")
        if not (observation or "").strip():
            raise InvalidInputError("须记录评价所依据的情况 (the observation is required)", code="observation_required")
        evaluation_id = str(uuid.uuid5(SUPERVISION_NAMESPACE, f"{self.id}:{period}"))
        revision = self.evaluations.get(period, {}).get("revision", 0) + 1
        self._evaluated(evaluation_id=evaluation_id, period=period, aspects=dict(sorted(aspects.items())),
                        overall=overall, observation=observation.strip(), evaluated_on=on, by=by, revision=revision,
                        **self._facts())
        return evaluation_id

    @event("Evaluated")
    def _evaluated(self, evaluation_id: str, period: str, aspects: dict[str, str], overall: str, observation: str,
                   evaluated_on: date, by: str, revision: int, person_id: str, person_name: str) -> None:
        self.evaluations[period] = {"evaluation_id": evaluation_id, "period": period, "aspects": aspects,
                                    "overall": overall, "observation": observation, "evaluated_on": evaluated_on,
                                    "by": by, "revision": revision}
