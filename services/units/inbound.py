"""Inbound from the unit (unit liaison portal): each submission validated, receipted, kept with its attachments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

INBOUND_KINDS = {
    "directive_notification": ("ZS", "重要指示批示收文通报 (directive notification)"),
    "progress_report": ("JZ", "进展情况报告 (progress report)"),
    "supervision_report": ("DC", "督查专报 (supervision report)"),
    "rectification_report": ("ZG", "整改情况报告 (rectification report)"),
    "situation_notice": ("TB", "重要情况通报 (important-situation notice)"),
    "feedback_reply": ("FK", "反馈意见回复 (reply to feedback)"),
    "recommendation_reply": ("JY", "纪检监察建议回复 (reply to a recommendation)"),
    "document_submission": ("DY", "调阅资料报送 (documents requested)"),
    "democratic_evaluation": ("MP", "民主测评结果 (democratic-evaluation results)"),
    "duty_integrity_report": ("SZ", "述责述廉报告 (duty-and-integrity report)"),
    "integrity_opinion_reply": ("LZ", "廉政意见回函 (integrity-opinion reply)"),
    "power_matter_report": ("SZYD", "三重一大事项报告 (major-matter report)"),
}
INBOUND_KIND_LABELS = {kind: label for kind, (_, label) in INBOUND_KINDS.items()}
REPORTED_STATUSES = {
    "not_started": "未启动 (not started)",
    "in_progress": "推进中 (in progress)",
    "completed": "已完成 (completed)",
}
EVALUATION_GRADES = {"excellent": "优秀 (excellent)", "good": "良好 (good)", "fair": "一般 (fair)", "poor": "较差 (poor)"}
INTEGRITY_OPINIONS = {
    "no_objection": "无异议 (no objection)",
    "objection": "有异议 (objection)",
    "pending_verification": "待核实 (pending verification)",
}


InboundValidationError = InvalidInputError.kind("InboundValidationError", "inbound_invalid")


def _text(details: dict[str, Any], key: str, label: str, required: bool = True) -> str | None:
    value = details.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InboundValidationError(f"{label}不能为空 ({key} is required)", code=f"{key}_required")
        return None
    if not isinstance(value, str):
        raise InboundValidationError(f"{label}须为文本 ({key} must be text)", code=f"{key}_invalid")
    return value.strip()


def _date(details: dict[str, Any], key: str, label: str) -> date:
    value = details.get(key)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InboundValidationError(f"{label}须为日期 YYYY-MM-DD ({key} must be a date)", code=f"{key}_invalid")


def _choice(details: dict[str, Any], key: str, label: str, allowed: dict[str, str]) -> str:
    value = _text(details, key, label)
    if value not in allowed:
        raise InboundValidationError(
            f"{label}须为 {', '.join(allowed)} 之一 ({key} must be one of {', '.join(allowed)})", code=f"{key}_invalid"
        )
    return str(value)


def _year(details: dict[str, Any]) -> int:
    year = details.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise InboundValidationError("年度须为四位年份 (year must be a four-digit year)", code="year_invalid")
    return year


def check_year(value: int) -> None:
    _year({"year": value})


def check_grade(value: str) -> None:
    _choice({"grade": value}, "grade", "测评等次", EVALUATION_GRADES)


def check_opinion(value: str) -> None:
    _choice({"opinion": value}, "opinion", "廉政意见", INTEGRITY_OPINIONS)


def check_reported_status(value: str) -> None:
    _choice({"status": value}, "status", "落实状态", REPORTED_STATUSES)


def check_cadre(value: str) -> None:
    _text({"cadre": value}, "cadre", "干部姓名")


def normalise_details(kind: str, details: dict[str, Any]) -> dict[str, Any]:
    """Validate the fields a kind needs; return them JSON-able (dates as ISO strings)."""
    if kind not in INBOUND_KINDS:
        raise InboundValidationError(f"未知报送类型 (unknown submission kind): {kind}", code="unknown_kind")
    d = details
    if kind == "directive_notification":
        issued, received = _date(d, "issued_on", "印发日期"), _date(d, "received_on", "收文日期")
        if received < issued:
            raise InboundValidationError("收文日期不能早于印发日期 (received before issued)", code="received_before_issued")
        return {
            "reference_number": _text(d, "reference_number", "文号"),
            "issuer": _text(d, "issuer", "发文机关"),
            "issued_on": issued.isoformat(),
            "received_on": received.isoformat(),
            "lead_department": _text(d, "lead_department", "牵头部门"),
        }
    if kind == "progress_report":
        return {"subject_ref": _text(d, "subject_ref", "所报事项"), "period": _text(d, "period", "报告期"),
                "summary": _text(d, "summary", "进展情况"), **_round_answers(d)}
    if kind == "supervision_report":
        items = d.get("items")
        if not isinstance(items, list) or not items:
            raise InboundValidationError("督查专报须列明事项 (the report needs items)", code="items_required")
        clean = []
        for item in items:
            if not isinstance(item, dict):
                raise InboundValidationError("事项格式错误 (malformed item)", code="items_invalid")
            clean.append({
                "reference_number": _text(item, "reference_number", "文号"),
                "title": _text(item, "title", "标题"),
                "status": _choice(item, "status", "落实状态", REPORTED_STATUSES),
            })
        return {"period": _text(d, "period", "报告期"), "items": clean}
    if kind in ("rectification_report", "recommendation_reply", "feedback_reply", "document_submission"):
        completed = d.get("completed", False)
        if not isinstance(completed, bool):
            raise InboundValidationError("是否完成须为是/否 (completed must be true or false)", code="completed_invalid")
        return {"subject_ref": _text(d, "subject_ref", "所答事项"), "summary": _text(d, "summary", "情况说明"),
                "completed": completed}
    if kind == "situation_notice":
        return {"category": _text(d, "category", "情况类别"), "summary": _text(d, "summary", "情况内容"),
                "occurred_on": _date(d, "occurred_on", "发生日期").isoformat()}
    if kind == "democratic_evaluation":
        return {"person_id": _text(d, "person_id", "人员编号", required=False) or "",
                "cadre": _text(d, "cadre", "干部姓名"), "post": _text(d, "post", "职务"), "year": _year(d),
                "grade": _choice(d, "grade", "测评等次", EVALUATION_GRADES),
                "summary": _text(d, "summary", "测评说明", required=False)}
    if kind == "duty_integrity_report":
        return {"person_id": _text(d, "person_id", "人员编号", required=False) or "",
                "cadre": _text(d, "cadre", "干部姓名"), "post": _text(d, "post", "职务"), "year": _year(d),
                "summary": _text(d, "summary", "报告内容")}
    if kind == "integrity_opinion_reply":
        return {"person_id": _text(d, "person_id", "人员编号", required=False) or "",
                "request_id": _text(d, "request_id", "征求意见编号", required=False),
                "cadre": _text(d, "cadre", "干部姓名"), "request_ref": _text(d, "request_ref", "征求意见函号"),
                "opinion": _choice(d, "opinion", "廉政意见", INTEGRITY_OPINIONS),
                "summary": _text(d, "summary", "说明", required=False)}
    # power_matter_report: the fields are checked by PowerMatter.check_registration
    return dict(d)


def _round_answers(details: dict[str, Any]) -> dict[str, Any]:
    """The scheduling round a progress report answers (定期调度) and its status per directive: both or neither
    (a report without a round keeps the fields it always had)."""
    round_id = _text(details, "round_id", "调度轮次", required=False)
    statuses = details.get("directive_statuses") or []
    if round_id is None:
        if statuses:
            raise InboundValidationError("按批示件报送进展须指明调度 (directive statuses need the round they answer)",
                                         code="round_id_required")
        return {}
    if not isinstance(statuses, list) or not statuses:
        raise InboundValidationError("答复调度须逐件填报进展 (a round's answer needs a status per directive)",
                                     code="directive_statuses_required")
    clean, seen = [], set()
    for answer in statuses:
        if not isinstance(answer, dict):
            raise InboundValidationError("进展格式错误 (malformed directive status)", code="directive_statuses_invalid")
        directive_id = _text(answer, "directive_id", "批示件")
        if directive_id in seen:
            raise InboundValidationError("同一批示件填报两次 (a directive twice)", code="directive_statuses_duplicate")
        seen.add(directive_id)
        clean.append({"directive_id": directive_id, "status": _choice(answer, "status", "落实状态", REPORTED_STATUSES),
                      "summary": _text(answer, "summary", "进展说明", required=False) or ""})
    return {"round_id": round_id, "directive_statuses": clean}


def receipt_number(kind: str, year: int, submission_id: str) -> str:
    """回执号: kind code, year and the submission id's first block, e.g. DC-2025-3F2A9C1E."""
    return f"{INBOUND_KINDS[kind][0]}-{year}-{submission_id.split('-')[0].upper()}"


class InboundSubmission(ChainedAggregate):
    """One submission from the unit, with its receipt (回执). Visible to the unit that sent it."""

    default_distribution = "unit"

    @staticmethod
    def create_id(submission_id: str) -> uuid.UUID:
        return uuid.UUID(submission_id)

    @classmethod
    def submit(
        cls, submission_id: str, group_id: str, unit_id: str, kind: str, title: str, details: dict[str, Any],
        attachments: list[dict[str, Any]], submitted_by: str, received_at: datetime,
        receipt_year: int, answers_item_id: str | None = None,
    ) -> InboundSubmission:
        """A received submission: its details checked for its kind, its receipt number given."""
        clean = normalise_details(kind, details)
        cls._check_submission(kind, title, attachments)
        return cls(
            submission_id=submission_id, group_id=group_id, unit_id=unit_id, kind=kind, title=title.strip(),
            details=clean, attachments=attachments, submitted_by=submitted_by,
            receipt_number=receipt_number(kind, receipt_year, submission_id),
            received_at=received_at.isoformat(), answers_item_id=answers_item_id,
        )

    @staticmethod
    def _check_submission(kind: str, title: str, attachments: list[dict[str, Any]]) -> None:
        if kind not in INBOUND_KINDS:
            raise InboundValidationError(f"未知报送类型 (unknown submission kind): {kind}", code="unknown_kind")
        if not (title or "").strip():
            raise InboundValidationError("标题不能为空 (title is required)", code="title_required")
        if len(title) > 300:
            raise InboundValidationError("标题过长 (title too long)", code="title_too_long")
        hashes = [a["sha256"] for a in attachments]
        if len(hashes) != len(set(hashes)):
            raise InboundValidationError("附件重复 (the same attachment twice)", code="attachment_duplicate")

    @event("Submitted")
    def __init__(
        self,
        submission_id: str,
        group_id: str,
        unit_id: str,
        kind: str,
        title: str,
        details: dict[str, Any],
        attachments: list[dict[str, Any]],
        submitted_by: str,
        receipt_number: str,
        received_at: str,
        answers_item_id: str | None,
    ) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.kind = kind
        self.title = title
        self.details = details
        self.attachments = attachments
        self.submitted_by = submitted_by
        self.receipt_number = receipt_number
        self.received_at = received_at
        self.answers_item_id = answers_item_id
        self.reviewed: dict[str, Any] | None = None

    def review(self, reviewer: str, note: str) -> None:
        if self.reviewed is not None:
            raise ConflictError("该报送已审阅 (already reviewed)", code="already_reviewed")
        self._reviewed(reviewer=reviewer, note=note.strip())

    @event("Reviewed")
    def _reviewed(self, reviewer: str, note: str) -> None:
        self.reviewed = {"reviewer": reviewer, "note": note}
