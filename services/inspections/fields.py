"""Field types of the inspections interface: closed vocabularies (enums with their Chinese labels) and
bounded values. A field the aggregate checks with its own code runs the same check first (`stated`,
`listed`, the vocabularies' checks), so a refusal has the same code from the request as from the aggregate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field

from events.vocab import CLUE_CATEGORIES, STAGE_LABELS
from services.common.interface import NO_CONTROL_CHARACTERS, Id, vocabulary
from services.inspections.guards import (
    check_direction,
    check_kind,
    check_problem_type,
    check_stage,
    require_names,
    require_text,
)
from services.inspections.vocab import (
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    FINDING_OUTCOMES,
    FINDING_STATUSES,
    METHODS,
    PROBLEM_TYPES,
    PROGRESS_SOURCES,
    REQUEST_DIRECTIONS,
    ROUND_STATUSES,
    SIDES,
)


def _checked(check: Callable[[Any], object], kind: type) -> BeforeValidator:
    """Run the domain's check on a value of the expected kind before the field's own validation."""

    def run(value: Any) -> Any:
        if isinstance(value, kind):
            check(value)
        return value

    return BeforeValidator(run)


def stated(label_zh: str, label_en: str, code: str) -> BeforeValidator:
    return _checked(lambda v: require_text(v, label_zh, label_en, code), str)


def listed(label_zh: str, label_en: str, code: str) -> BeforeValidator:
    """The domain's check of a list of names; anything but a list of texts is left to the field's own
    validation (422, never a crash on a number among the names)."""

    def run(value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            require_names(value, label_zh, label_en, code)
        return value

    return BeforeValidator(run)


if TYPE_CHECKING:
    ProblemType = str
    Direction = str
    Side = str
    RoundStatus = str
    FindingStatus = str
    ProgressSource = str
    ActivityKind = str
    Method = str
    ActivityStatus = str
    FindingOutcome = str
    ClueCategory = str
    Stage = str
else:
    ProblemType = Annotated[vocabulary(PROBLEM_TYPES), _checked(check_problem_type, str)]
    Direction = Annotated[vocabulary(REQUEST_DIRECTIONS), _checked(check_direction, str)]
    Side = vocabulary(SIDES)
    RoundStatus = vocabulary(ROUND_STATUSES)
    FindingStatus = vocabulary(FINDING_STATUSES)
    ProgressSource = vocabulary(PROGRESS_SOURCES)
    ActivityKind = Annotated[vocabulary(ACTIVITY_KINDS), _checked(check_kind, str)]
    Method = vocabulary(METHODS)
    ActivityStatus = vocabulary(ACTIVITY_STATUSES)
    FindingOutcome = vocabulary(FINDING_OUTCOMES)
    ClueCategory = vocabulary(CLUE_CATEGORIES)
    Stage = Annotated[vocabulary(STAGE_LABELS), _checked(check_stage, str)]
    """A stage of carrying out a directive (the ledgers' seven stages)."""
    """What the clues service accepts: refused at the request, never left to fail in its policy."""

Position = Annotated[int, Field(ge=0, le=10**15, description="历史位置 (a position in a service's history)")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 (hex)")]
Members = Annotated[list[Id], Field(max_length=50), listed("巡视组成员", "team members", "members_required")]
OptionalText = Annotated[str, Field(max_length=200, pattern=NO_CONTROL_CHARACTERS)]
"""A short text that may be empty (a post that is not known)."""
