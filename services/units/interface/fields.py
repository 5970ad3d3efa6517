"""Field types of the units interface: closed vocabularies (enums with their Chinese labels, one source with
the domain's label dicts) and bounded values. A field the aggregate checks with its own code runs that check
first (`checked`), so a request refused here has the same code as the aggregate gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field

from services.common.interface import NO_CONTROL_CHARACTERS, Name, vocabulary
from services.units.attachments import MAX_ATTACHMENT_BYTES
from services.units.deliberation import DECISIONS, DRAFT_STATUSES, FORMS, STANCES
from services.units.inbound import (
    EVALUATION_GRADES,
    INBOUND_KIND_LABELS,
    INTEGRITY_OPINIONS,
    REPORTED_STATUSES,
    check_cadre,
    check_grade,
    check_opinion,
    check_reported_status,
    check_year,
)
from services.units.outbound import DELIVERY_CHANNELS, ITEM_STATUSES, OUTBOUND_KINDS
from services.units.power import MATTER_CATEGORIES, RISK_LEVELS, SOURCES, check_meeting
from services.units.roster import ADDABLE_DEPARTMENT_KINDS, DEPARTMENT_KINDS, POST_KINDS
from services.units.routing import ROLE_LABEL
from services.units.upward import CONSULTATION_KINDS, UPWARD_KINDS

BY_NAME_OR_KIND = ConfigDict(validate_by_name=True, validate_by_alias=True)
"""A record's kind is `kind` in a request; in the model it is `<record>_kind`, as `Operation.kind` already says
whether an operation is a command or a query."""


def checked(check: Callable[[Any], object], kind: type = str) -> BeforeValidator:
    """Run the domain's own check of a field first, so a request refused here has the aggregate's code."""

    def run(value: Any) -> Any:
        if isinstance(value, kind) and not isinstance(value, bool):
            check(value)
        return value

    return BeforeValidator(run)


if TYPE_CHECKING:
    DepartmentKind = str
    AddableDepartmentKind = str
    PostKind = str
    MemberRole = str
    InboundKind = str
    ReportedStatus = str
    EvaluationGrade = str
    IntegrityOpinion = str
    OutboundKind = str
    DeliveryChannel = str
    ItemStatus = str
    Stance = str
    Decision = str
    FeedbackForm = str
    DraftStatus = str
    MatterCategory = str
    MatterSource = str
    RiskLevel = str
    UpwardKind = str
    ConsultationKind = str
else:
    DepartmentKind = vocabulary(DEPARTMENT_KINDS)
    AddableDepartmentKind = vocabulary(ADDABLE_DEPARTMENT_KINDS)
    PostKind = vocabulary(POST_KINDS)
    MemberRole = vocabulary(ROLE_LABEL)
    InboundKind = vocabulary(INBOUND_KIND_LABELS)
    ReportedStatus = Annotated[vocabulary(REPORTED_STATUSES), checked(check_reported_status)]
    EvaluationGrade = Annotated[vocabulary(EVALUATION_GRADES), checked(check_grade)]
    IntegrityOpinion = Annotated[vocabulary(INTEGRITY_OPINIONS), checked(check_opinion)]
    OutboundKind = vocabulary(OUTBOUND_KINDS)
    DeliveryChannel = vocabulary(DELIVERY_CHANNELS)
    ItemStatus = vocabulary(ITEM_STATUSES)
    Stance = vocabulary(STANCES)
    Decision = vocabulary(DECISIONS)
    FeedbackForm = vocabulary(FORMS)
    DraftStatus = vocabulary(DRAFT_STATUSES)
    MatterCategory = vocabulary(MATTER_CATEGORIES)
    MatterSource = vocabulary(SOURCES)
    RiskLevel = vocabulary(RISK_LEVELS)
    UpwardKind = vocabulary(UPWARD_KINDS)
    ConsultationKind = vocabulary(CONSULTATION_KINDS)

LongText = Annotated[str, Field(min_length=1, max_length=20_000, pattern=NO_CONTROL_CHARACTERS)]
"""A document's text: a body, minutes, a summary the unit reports."""
Remark = Annotated[str, Field(max_length=2000, pattern=NO_CONTROL_CHARACTERS)]
"""An optional short text that may be left empty (a note, a reason)."""
Reference = Annotated[str, Field(max_length=100, pattern=NO_CONTROL_CHARACTERS, description="文号 (may be empty)")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the bytes (hex)")]
Year = Annotated[int, checked(check_year, int), Field(ge=2000, le=2100)]
Cadre = Annotated[Name, checked(check_cadre), Field(description="干部姓名")]
Yuan = Annotated[int, Field(ge=0, le=10**15, description="金额（元）")]
IsoDay = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"})]
"""A date in a view, as its ISO text."""
Position = Annotated[int, Field(ge=0, description="position of the last published event the command wrote")]
Base64 = Annotated[str, Field(max_length=4 * ((MAX_ATTACHMENT_BYTES + 1 + 2) // 3) + 4)]
"""File content as base64; one byte more than the limit passes, so the service names the size refusal."""
Meeting = Annotated[str, checked(check_meeting), Field(min_length=1, max_length=300, pattern=NO_CONTROL_CHARACTERS)]
