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
