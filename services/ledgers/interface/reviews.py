"""The group's quarterly review (组务会季度专题研究) and self look-back (自身回头看)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Count,
    Day,
    Fields,
    Id,
    Name,
    Query,
    Result,
)
from services.ledgers.interface.fields import SERVICE, ShortText, Text


class ReviewRecorded(Result):
    review_id: str
    position: int

class ReviewView(Result):
    review_id: str
    group_id: str
    unit_id: str | None
    quarter: str
    meeting_on: date
    chaired_by: str
    attendees: list[str]
    topics: list[str]
    decisions: list[str]
    follow_ups: list[dict[str, Any]]
    look_back: dict[str, Any] | None
    open_follow_ups: int
    distribution: str
    version: int

class FollowUp(Fields):
    action: Text = Field(description="后续措施 (the action)")
    owner: ShortText = Field(description="责任人 (who)")
    deadline: Day

class QuarterlyReviewBody(Body):
    quarter: Annotated[str, Field(min_length=1, max_length=16, pattern=NO_CONTROL_CHARACTERS,
                                  description="季度，如 2025Q1 (the quarter, e.g. 2025Q1)")]
    meeting_on: Day
    chaired_by: Name = Field(description="主持人 (who chaired)")
    attendees: Annotated[list[ShortText], Field(max_length=100)]
    topics: Annotated[list[Text], Field(max_length=50, description="研究的专题 (topics studied)")]
    decisions: Annotated[list[Text], Field(max_length=50, description="会议决定 (decisions)")]
    follow_ups: Annotated[list[FollowUp], Field(max_length=100)] = Field(default_factory=list)

class RecordQuarterlyReview(Command[ReviewRecorded], QuarterlyReviewBody):
    """Record the group meeting's quarterly study of its supervision work: who, what, decided, follow-ups."""

    service = SERVICE

    group_id: Id

class SelfLookBackBody(Body):
    good_practices: Annotated[list[Text], Field(max_length=50, description="好的做法")] = Field(default_factory=list)
    shortcomings: Annotated[list[Text], Field(max_length=50, description="存在不足")] = Field(default_factory=list)
    causes: Annotated[list[Text], Field(max_length=50, description="原因分析")] = Field(default_factory=list)
    measures: Annotated[list[Text], Field(max_length=50, description="改进措施")] = Field(default_factory=list)

class RecordSelfLookBack(Command[ReviewRecorded], SelfLookBackBody):
    """The group's look-back at its own supervision work this quarter (自身回头看)."""

    service = SERVICE

    review_id: Id

class FollowUpDoneBody(Body):
    note: Text

class CompleteReviewFollowUp(Command[ReviewRecorded], FollowUpDoneBody):
    """Mark one follow-up action of a quarterly review done, with what was done."""

    service = SERVICE

    review_id: Id
    index: Count

class GetQuarterlyReview(Query[ReviewView]):
    service = SERVICE

    review_id: Id

class QuarterlyReviewId(Query[str]):
    """The id the review of this group and quarter has (or will have)."""

    service = SERVICE

    group_id: Id
    quarter: Annotated[str, Field(min_length=1, max_length=16, pattern=NO_CONTROL_CHARACTERS)]
