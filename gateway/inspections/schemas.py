"""Request models of the inspections routes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

Text = Field(min_length=1, max_length=4000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoundCreate(Strict):
    group_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=300, description="巡视轮次")
    team_id: str = Field(min_length=1, max_length=64, description="巡视组")
    member_ids: list[str] = Field(min_length=1, max_length=50)
    before_start: date
    before_end: date
    during_start: date
    during_end: date
    after_start: date
    after_end: date


class RoundClose(Strict):
    summary: str = Text


class MembersChange(Strict):
    member_ids: list[str] = Field(min_length=1, max_length=50)


class ClueHandOver(Strict):
    clue_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000, description="移交理由")


class ClueContent(Strict):
    """The content of a referred clue: sealed for the clues service before it is stored."""

    subject_name: str = Field(min_length=1, max_length=100, description="被反映人")
    subject_unit: str = Field(min_length=1, max_length=200)
    subject_post: str = Field(default="", max_length=200)
    key_person: bool = False
    categories: list[str] = Field(min_length=1, max_length=10, description="六项纪律")
    summary: str = Text


class InformationRequest(Strict):
    question: str = Text
    deadline: date


class InformationAnswer(Strict):
    answer: str = Text


class FindingCreate(Strict):
    title: str = Field(min_length=1, max_length=300)
    description: str = Text
    problem_type: str = Field(min_length=1, max_length=50)
    responsible_department: str = Field(min_length=1, max_length=200)
    deadline: date


class ProgressReport(Strict):
    summary: str = Text
    completed: bool = False


class LookBackSchedule(Strict):
    due_on: date
    scope: str = Text


class LookBackComplete(Strict):
    conclusion: str = Text
    reopened_item_ids: list[str] = Field(default_factory=list)


class ActivityCreate(Strict):
    group_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    kind: str = Field(min_length=1, max_length=30, description="embedded|tracking|pinpoint|joint|consultation|special")
    title: str = Field(min_length=1, max_length=300)
    plan: str = Text
    participant_ids: list[str] = Field(min_length=1, max_length=50)
    methods: list[str] = Field(min_length=1, max_length=10)
    start_on: date
    end_on: date
    leader_id: str | None = Field(default=None, max_length=64)
    hq_offices: list[str] = Field(default_factory=list, max_length=10)
    topic: str | None = Field(default=None, max_length=300)


class ActivityStart(Strict):
    started_on: date


class WorkRecord(Strict):
    method: str = Field(min_length=1, max_length=50)
    held_on: date
    summary: str = Text
    participant_ids: list[str] | None = None


class ActivityFinding(Strict):
    summary: str = Text


class ActivityHandOver(Strict):
    title: str = Field(min_length=1, max_length=300)
    problem_type: str = Field(min_length=1, max_length=50)
    responsible_department: str = Field(min_length=1, max_length=200)
    deadline: date
    description: str | None = Field(default=None, max_length=4000)


class ActivityComplete(Strict):
    conclusion: str = Text
    completed_on: date
