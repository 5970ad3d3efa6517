"""The field types of the ledgers interface: its closed vocabularies, bounded texts and numbers, deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from services.common.interface import NO_CONTROL_CHARACTERS, Day, Fields, Name, vocabulary
from services.ledgers.vocab import (
    DEADLINE_BASES,
    ECOLOGY_JUDGEMENTS,
    EVALUATION_DIMENSIONS,
    ITEM_SOURCES,
    ITEM_STATUSES,
    LIST_KINDS,
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


class Deadline(Fields):
    """A deadline rule: `count` calendar or working days after `from_date` (working days: official calendar)."""

    basis: DeadlineBasis
    count: Days
    from_date: Day


DeadlineIn = Deadline | Day
"""A rule, or a fixed date."""
