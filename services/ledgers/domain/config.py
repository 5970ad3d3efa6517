"""Per-group configuration of the detail ledgers: categories, look-back intervals, default stage limits."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import InvalidInputError, NotFoundError
from services.ledgers.deadlines import BASES, DeadlineRule

DEFAULT_LOOK_BACK = ("calendar", 90)
STAGE_NAMES = (
    "relay_study", "deployment", "plan", "execution", "result_evaluation", "look_back_review",
    "institution_building",
)


UnknownCategoryError = NotFoundError.kind("UnknownCategoryError", "unknown_category")


class GroupLedgerConfig(ChainedAggregate):
    """The detail-ledger categories (细账类别) one group keeps, each with its look-back interval."""

    default_distribution = "hq"

    @staticmethod
    def create_id(group_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:ledgers:config:{group_id}")

    @event("Opened")
    def __init__(self, group_id: str) -> None:
        self.group_id = group_id
        self.unit_id: str | None = None
        self.categories: dict[str, dict[str, Any]] = {}
        self.default_follower: str | None = None

    @staticmethod
    def check_category_settings(
        code: str, name: str, look_back_basis: str, look_back_days: int, stage_limits: dict[str, Any]
    ) -> None:
        if not code.strip() or not name.strip():
            raise InvalidInputError("类别编码和名称不能为空 (code and name required)", code="category_invalid")
        if look_back_basis not in BASES or look_back_days < 1:
            raise InvalidInputError("回头看间隔无效 (invalid look-back interval)", code="look_back_invalid")
        for stage, limit in stage_limits.items():
            if stage not in STAGE_NAMES:
                raise InvalidInputError(f"未知阶段 (unknown stage): {stage}", code="unknown_stage")
            if limit.get("basis") not in BASES or int(limit.get("count", 0)) < 1:
                raise InvalidInputError(f"阶段期限无效 (invalid stage limit): {stage}", code="stage_limit_invalid")

    def configure_category(
        self, code: str, name: str, look_back_basis: str, look_back_days: int, stage_limits: dict[str, Any]
    ) -> None:
        self.check_category_settings(code, name, look_back_basis, look_back_days, stage_limits)
        self._configure_category(code=code.strip(), name=name.strip(), look_back_basis=look_back_basis,
                                 look_back_days=look_back_days, stage_limits=dict(stage_limits))

    @event("CategoryConfigured")
    def _configure_category(
        self, code: str, name: str, look_back_basis: str, look_back_days: int, stage_limits: dict[str, Any]
    ) -> None:
        self.categories[code] = {
            "code": code,
            "name": name,
            "look_back_basis": look_back_basis,
            "look_back_days": look_back_days,
            "stage_limits": dict(stage_limits),
            "active": True,
        }

    def check_retire(self, code: str, reason: str) -> None:
        self.category(code)
        if not reason.strip():
            raise InvalidInputError("停用类别需说明理由 (a reason is required)", code="reason_required")

    def retire_category(self, code: str, reason: str) -> None:
        self.check_retire(code, reason)
        self._retire_category(code=code, reason=reason.strip())

    @event("CategoryRetired")
    def _retire_category(self, code: str, reason: str) -> None:
        self.categories[code]["active"] = False
        self.categories[code]["retired_reason"] = reason

    def set_default_follower(self, follower: str) -> None:
        """The group member who follows (专人督办) the items policies open on their own (inspection
        rectification items, supervision recommendations) until someone else is named."""
        if not follower.strip():
            raise InvalidInputError("须指定督办人 (a follower is required)", code="follower_required")
        self._set_default_follower(follower=follower.strip())

    @event("DefaultFollowerSet")
    def _set_default_follower(self, follower: str) -> None:
        self.default_follower = follower

    def category(self, code: str) -> dict[str, Any]:
        found = self.categories.get(code)
        if found is None:
            raise UnknownCategoryError(f"细账类别不存在 (unknown category): {code}")
        return found

    def check_active(self, code: str) -> None:
        if not self.category(code)["active"]:
            raise InvalidInputError(f"细账类别已停用 (category retired): {code}", code="category_retired")

    def look_back_rule(self, code: str | None, from_date: date) -> DeadlineRule:
        basis, days = DEFAULT_LOOK_BACK
        if code and code in self.categories:
            basis = self.categories[code]["look_back_basis"]
            days = self.categories[code]["look_back_days"]
        return DeadlineRule(basis, days, from_date)

    def stage_rules(self, code: str | None, received_on: date) -> dict[str, DeadlineRule]:
        """Default stage deadlines of a category, counted from the directive's receipt."""
        if not code or code not in self.categories:
            return {}
        limits = self.categories[code]["stage_limits"]
        return {
            stage: DeadlineRule(limits[stage]["basis"], int(limits[stage]["count"]), received_on)
            for stage in STAGE_NAMES
            if stage in limits
        }
