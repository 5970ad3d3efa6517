"""Ledgers domain: directives in the master ledger and their full-cycle stages."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

STAGES = (
    "relay_study",  # 学习传达
    "deployment",  # 作出部署
    "plan",  # 制定方案
    "execution",  # 贯彻执行
    "result_evaluation",  # 结果评估
    "look_back_review",  # 回头检视
    "institution_building",  # 建章立制
)


class StageOrderError(ConflictError):
    code = "stage_out_of_order"


class DirectiveWithdrawnError(ConflictError):
    code = "directive_withdrawn"


class Directive(ChainedAggregate):
    """An important directive or central decision the unit received: one master-ledger entry."""

    default_distribution = "hq"

    @event("Registered")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        reference_number: str,
        issuer: str,
        title: str,
        issued_on: date,
        received_on: date,
        lead_department: str,
        category: str | None,
        tied_to_duties: bool,
    ) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.reference_number = reference_number
        self.issuer = issuer
        self.title = title
        self.issued_on = issued_on
        self.received_on = received_on
        self.lead_department = lead_department
        self.category = category
        self.tied_to_duties = tied_to_duties
        self.stages: dict[str, dict[str, Any]] = {}
        self.withdrawn = False

    @staticmethod
    def check_registration(title: str, reference_number: str, issued_on: date, received_on: date) -> None:
        if not title.strip():
            raise InvalidInputError("标题不能为空 (title is required)", code="title_required")
        if not reference_number.strip():
            raise InvalidInputError("文号不能为空 (reference number is required)", code="reference_required")
        if received_on < issued_on:
            raise InvalidInputError(
                "收文日期不能早于印发日期 (received before issued)", code="received_before_issued"
            )

    def next_stage(self) -> str | None:
        for stage in STAGES:
            if stage not in self.stages:
                return stage
        return None

    def check_stage(self, stage: str, skip_reason: str | None) -> None:
        if self.withdrawn:
            raise DirectiveWithdrawnError("该批示件已撤销 (directive withdrawn)")
        if stage not in STAGES:
            raise InvalidInputError(f"未知阶段 (unknown stage): {stage}", code="unknown_stage")
        if stage in self.stages:
            raise ConflictError(f"阶段已记录 (stage already recorded): {stage}", code="stage_recorded")
        expected = self.next_stage()
        if stage != expected and not (skip_reason and skip_reason.strip()):
            raise StageOrderError(
                f"不能跳过阶段 {expected}，除非说明理由 (cannot skip stage {expected} without a reason)"
            )

    @event("StageRecorded")
    def record_stage(
        self,
        stage: str,
        done_on: date,
        summary: str,
        meeting: str | None,
        document: str | None,
        done_by: str,
        skip_reason: str | None,
    ) -> None:
        self.stages[stage] = {
            "done_on": done_on,
            "summary": summary,
            "meeting": meeting,
            "document": document,
            "done_by": done_by,
            "skip_reason": skip_reason,
        }
