"""The ledgers service's interface: its commands, queries and results (see services.common.interface)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import Field

from services.common.interface import Body, Command, Query, Result, vocabulary
from services.ledgers.vocab import STAGE_LABELS

if TYPE_CHECKING:
    StageName = str
else:
    StageName = vocabulary(STAGE_LABELS)

class DirectiveRecorded(Result):
    directive_id: str
    position: int


# -- directives --------------------------------------------------------------------------------
class RegisterDirective(Command[DirectiveRecorded]):
    """Register a directive in the master ledger (总账); with a category it also has a detail ledger (细账)."""

    service = "ledgers"

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


class StageBody(Body):
    """What was done at one stage."""

    stage: StageName
    done_on: date
    summary: str = Field(min_length=1, max_length=4000)
    done_by: str = Field(min_length=1, max_length=200)
    meeting: str | None = Field(default=None, max_length=500)
    document: str | None = Field(default=None, max_length=500)
    skip_reason: str | None = Field(default=None, max_length=2000)


class RecordStage(Command[DirectiveRecorded], StageBody):
    """Record one of the seven full-cycle stages (全周期管理)."""

    service = "ledgers"

    directive_id: str


class DirectiveView(Result):
    directive_id: str
    group_id: str
    unit_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str
    category: str | None
    tied_to_duties: bool
    status: str
    withdrawn: bool
    withdrawn_reason: str | None
    amendments: int = Field(description="更正次数 (how many corrections)")
    notifications: list[str]
    stages: dict[str, dict[str, Any]]
    next_stage: str | None
    stage_deadlines: dict[str, dict[str, Any]]
    evaluations: dict[str, dict[str, Any]]
    distribution: str
    version: int


class GetDirective(Query[DirectiveView]):
    """One directive as the group's workbench shows it."""

    service = "ledgers"

    directive_id: str
