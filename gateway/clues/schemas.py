"""Request models of the clues routes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

Text = Field(min_length=1, max_length=8000)
Reason = Field(min_length=1, max_length=2000)
UserId = Field(min_length=1, max_length=64)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentRef(Strict):
    title: str = Field(min_length=1, max_length=300)
    reference: str = Field(default="", max_length=200, description="档案号 / 存放位置")
    sha256: str = Field(min_length=64, max_length=64)


class ClueCreate(Strict):
    unit_id: str = Field(min_length=1, max_length=64)
    source: str = Field(min_length=1, max_length=40, description="petition | audit_referral | supervision_finding | assignment")
    subject_name: str = Field(min_length=1, max_length=100, description="被反映人")
    subject_unit: str = Field(default="", max_length=200)
    subject_post: str = Field(default="", max_length=200)
    key_person: bool = Field(default=False, description="驻在单位领导班子成员或一把手")
    categories: list[str] = Field(min_length=1, max_length=7)
    summary: str = Text
    assigned: list[str] = Field(default_factory=list, max_length=20)
    received_on: date | None = None
    documents: list[DocumentRef] = Field(default_factory=list, max_length=50)


class AcceptReferral(Strict):
    assigned: list[str] = Field(min_length=1, max_length=20)


class MemberChange(Strict):
    user: str = UserId
    reason: str = Reason


class ReadRequest(Strict):
    reason: str = Reason
    parts: list[str] | None = Field(default=None, max_length=4)


class Assessment(Strict):
    political_analysis: str = Text
    analysis: str = Field(default="", max_length=8000)


class Participant(Strict):
    user: str = UserId
    conclusion: str = Reason


class Screening(Strict):
    held_on: date
    participants: list[Participant] = Field(min_length=1, max_length=30)
    conclusion: str = Text


class Proposal(Strict):
    disposition: str = Field(min_length=1, max_length=40)
    reason: str = Reason


class Decision(Strict):
    approved: bool
    reason: str = Field(default="", max_length=2000)
    disposition: str | None = Field(default=None, max_length=40)


class Inquiry(Strict):
    form: str = Field(min_length=1, max_length=10, description="talk | letter")
    held_on: date
    summary: str = Text


class InquiryReply(Strict):
    received_on: date
    summary: str = Text


class Verification(Strict):
    reported_on: date
    summary: str = Text
    substantiated: bool


class Conclusion(Strict):
    result: str = Field(min_length=1, max_length=20, description="case_filed | closed")
    reason: str = Reason
    four_forms: int | None = Field(default=None, ge=1, le=4)


class ReasonBody(Strict):
    reason: str = Reason


class JointShare(Strict):
    unit_users: list[str] = Field(min_length=1, max_length=10)
    parts: list[str] = Field(min_length=1, max_length=3)
    reason: str = Reason


class JointConclusion(Strict):
    conclusion: str = Text


class RecommendationCreate(Strict):
    unit_id: str = Field(min_length=1, max_length=64)
    reference_number: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=500)
    problems: list[str] = Field(min_length=1, max_length=50)
    recommendations: list[str] = Field(min_length=1, max_length=50)
    responsible_department: str = Field(min_length=1, max_length=200)
    deadline: date
    source_clue_ids: list[str] = Field(default_factory=list, max_length=50)


class RecommendationIssue(Strict):
    issued_on: date | None = None


class RecommendationResponse(Strict):
    report_id: str = Field(min_length=1, max_length=64)
    summary: str = Text
    completed: bool
    received_on: date


class RecommendationClose(Strict):
    evidence: str = Text
    closed_on: date | None = None
