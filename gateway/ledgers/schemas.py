"""Request models of the ledgers routes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class DirectiveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    reference_number: str = Field(min_length=1, max_length=100, description="文号")
    issuer: str = Field(min_length=1, max_length=200, description="印发机关")
    title: str = Field(min_length=1, max_length=500)
    issued_on: date
    received_on: date
    lead_department: str = Field(min_length=1, max_length=200, description="牵头部门")
    category: str | None = Field(default=None, max_length=100, description="细账类别")
    tied_to_duties: bool = False


class StageRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str = Field(min_length=1, max_length=50)
    done_on: date
    summary: str = Field(min_length=1, max_length=4000)
    done_by: str = Field(min_length=1, max_length=200)
    meeting: str | None = Field(default=None, max_length=500)
    document: str | None = Field(default=None, max_length=500)
    skip_reason: str | None = Field(default=None, max_length=2000)


class DeadlineIn(BaseModel):
    """A deadline rule: `count` calendar or working days after `from_date` (working days: official calendar)."""

    model_config = ConfigDict(extra="forbid")

    basis: str = Field(pattern="^(calendar|working)$")
    count: int = Field(ge=0, le=3650)
    from_date: date


class DirectiveAmend(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changes: dict[str, str | bool | None] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=2000)


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class StageDeadline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str = Field(min_length=1, max_length=50)
    deadline: DeadlineIn
    reason: str | None = Field(default=None, max_length=2000)


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: str = Field(min_length=1, max_length=200)
    scores: dict[str, int]
    rationale: str = Field(min_length=1, max_length=4000)


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, pattern="^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=200)
    look_back_basis: str = Field(default="calendar", pattern="^(calendar|working)$")
    look_back_days: int = Field(default=90, ge=1, le=3650)
    stage_limits: dict[str, dict[str, str | int]] = Field(default_factory=dict)


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list_kind: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=200)
    follower: str | None = Field(default=None, max_length=64)
    deadline: DeadlineIn | None = None
    description: str = Field(default="", max_length=4000)
    problem_type: str | None = Field(default=None, max_length=64)
    evidence_refs: list[str] = Field(default_factory=list, max_length=100)


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(min_length=1, max_length=32)
    summary: str = Field(min_length=1, max_length=4000)
    report_ref: str | None = Field(default=None, max_length=200)


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence_refs: list[str] = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=2000)


class FollowerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    follower: str = Field(min_length=1, max_length=64)


class ItemDeadline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline: DeadlineIn
    reason: str = Field(min_length=1, max_length=2000)


class Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    root_causes: list[str] = Field(min_length=1, max_length=4)
    ecology: str = Field(min_length=1, max_length=32)
    note: str = Field(default="", max_length=4000)


class SimilarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    similar_item_ids: list[str] = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=2000)


class Closure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(min_length=1, max_length=4000)
    evidence_refs: list[str] = Field(default_factory=list, max_length=100)


class LookBack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    findings: str = Field(min_length=1, max_length=4000)
    similar_checked: bool = False
    reopen: bool = False
    deadline: DeadlineIn | None = None


class RoundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    subject: str = Field(min_length=1, max_length=500)
    directive_ids: list[str] = Field(min_length=1, max_length=500)
    respond_by: DeadlineIn


class RoundResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    directive_id: str = Field(min_length=1, max_length=64)
    status: str = Field(min_length=1, max_length=32)
    summary: str = Field(min_length=1, max_length=4000)


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=4000)


class ReportedRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference_number: str = Field(min_length=1, max_length=100)
    title: str = Field(max_length=500)
    status: str = Field(min_length=1, max_length=32)


class ReconciliationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    report_id: str = Field(min_length=1, max_length=200)
    period: str = Field(min_length=1, max_length=32)
    items: list[ReportedRow] = Field(max_length=2000)


# -- quarterly review (组务会季度专题研究) and self look-back (自身回头看) ------------------------------
class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(min_length=1, max_length=2000, description="后续措施")
    owner: str = Field(min_length=1, max_length=200, description="责任人")
    deadline: date


class QuarterlyReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quarter: str = Field(pattern=r"^\d{4}Q[1-4]$", description="季度，如 2025Q1")
    meeting_on: date
    chaired_by: str = Field(min_length=1, max_length=200, description="主持人")
    attendees: list[str] = Field(min_length=1, max_length=100)
    topics: list[str] = Field(min_length=1, max_length=50, description="研究的专题")
    decisions: list[str] = Field(min_length=1, max_length=50, description="会议决定")
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=100)


class SelfLookBackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    good_practices: list[str] = Field(default_factory=list, max_length=50, description="好的做法")
    shortcomings: list[str] = Field(default_factory=list, max_length=50, description="存在不足")
    causes: list[str] = Field(default_factory=list, max_length=50, description="原因分析")
    measures: list[str] = Field(default_factory=list, max_length=50, description="改进措施")


class FollowUpDone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=4000)
