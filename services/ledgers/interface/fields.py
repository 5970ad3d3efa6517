"""The field types of the ledgers interface: its closed vocabularies, bounded texts and numbers, deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from services.common.interface import NO_CONTROL_CHARACTERS, Day, Fields, Name, vocabulary
from services.ledgers.vocab import (
    DEADLINE_BASES,
    DEVIATIONS,
    ECOLOGY_JUDGEMENTS,
    EVALUATION_DIMENSIONS,
    GAPS,
    ITEM_SOURCES,
    ITEM_STATUSES,
    LIST_KINDS,
    LOOK_BACK_CHECKS,
    LOOK_BACK_FINDINGS,
    OBSTACLES,
    PROBLEM_TYPES,
    PROGRESS_STATUSES,
    REPORTED_STATUS_LABELS,
    ROOT_CAUSES,
    STAGE_LABELS,
)

if TYPE_CHECKING:
    StageName = str
    DeadlineBasis = str
    ListKind = str
    ProblemType = str
    RootCause = str
    Ecology = str
    Dimension = str
    ProgressStatus = str
    ReportedStatus = str
    ItemStatus = str
    ItemSource = str
    LookBackCheck = str
    LookBackFinding = str
    Deviation = str
    Gap = str
    Obstacle = str
else:
    StageName = vocabulary(STAGE_LABELS)
    DeadlineBasis = vocabulary(DEADLINE_BASES)
    ListKind = vocabulary(LIST_KINDS)
    ProblemType = vocabulary(PROBLEM_TYPES)
    RootCause = vocabulary(ROOT_CAUSES)
    Ecology = vocabulary(ECOLOGY_JUDGEMENTS)
    Dimension = vocabulary(EVALUATION_DIMENSIONS)
    ProgressStatus = vocabulary(PROGRESS_STATUSES)
    ReportedStatus = vocabulary(REPORTED_STATUS_LABELS)
    ItemStatus = vocabulary(ITEM_STATUSES)
    ItemSource = vocabulary(ITEM_SOURCES)
    LookBackCheck = vocabulary(LOOK_BACK_CHECKS)
    LookBackFinding = vocabulary(LOOK_BACK_FINDINGS)
    Deviation = vocabulary(DEVIATIONS)
    Gap = vocabulary(GAPS)
    Obstacle = vocabulary(OBSTACLES)

SERVICE = "ledgers"

Text = Annotated[str, Field(max_length=4000, pattern=NO_CONTROL_CHARACTERS)]
"""A text that may be left empty (a note, a description)."""
ShortText = Annotated[str, Field(max_length=200, pattern=NO_CONTROL_CHARACTERS)]
"""A short text that may be left empty (the aggregate says whether it is required)."""
Reference = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS,
                                 description="文号 (reference number)")]
CategoryCode = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$",
                                    description="细账类别编码 (detail-ledger category code)")]
Score = Annotated[int, Field(strict=True, ge=0, le=100,
                             description="1 差 (poor) … 5 好 (good); outside 1-5 refused as score_out_of_range")]
Days = Annotated[int, Field(ge=0, le=3650)]
Workbook64 = Annotated[str, Field(max_length=7_000_000,
                                  description="the .xlsx file, base64 (at most 5 MB before encoding)")]
Refs = Annotated[list[Name], Field(max_length=100)]
ClosureRef = Annotated[str, Field(
    min_length=8, max_length=120, pattern=r"^(sha256:[0-9a-f]{64}|(submission|units:report):[A-Za-z0-9][A-Za-z0-9._:-]{0,99})$",
    description="已上传文件 `sha256:<64 hex>`（单位附件库按内容寻址）或单位报送 `submission:<id>` / `units:report:<id>` "
                "(an uploaded content-addressed file, or a unit submission)",
)]
ClosureRefs = Annotated[list[ClosureRef], Field(max_length=100)]


class Deadline(Fields):
    """A deadline rule: `count` calendar or working days after `from_date` (working days: official calendar)."""

    basis: DeadlineBasis
    count: Days
    from_date: Day


DeadlineIn = Deadline | Day
"""A rule, or a fixed date."""
