"""Accountability (执责必严、失责必问): proposing it for a failed duty and recording the decision."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import Field

from services.common.interface import Body, Command, Day, Id, Query, Result, vocabulary
from services.ledgers.domain.accountability import FORMS, OUTCOMES, STATUSES
from services.ledgers.interface.fields import SERVICE, ShortText, Text

if TYPE_CHECKING:
    AccountabilityForm = str
    AccountabilityOutcome = str
    AccountabilityStatus = str
else:
    AccountabilityForm = vocabulary(FORMS)
    AccountabilityOutcome = vocabulary(OUTCOMES)
    AccountabilityStatus = vocabulary(STATUSES)


class AccountabilityRecorded(Result):
    accountability_id: str
    status: AccountabilityStatus
    position: int


class AccountabilityView(Result):
    accountability_id: str
    group_id: str
    unit_id: str | None
    directive_id: str
    item_ids: list[str]
    person_id: str = Field(description="the roster id of the person held accountable")
    form: AccountabilityForm = Field(description="the form proposed")
    form_label: str
    failed_duty: str
    grounds: str
    proposed_by: str
    proposed_on: date
    status: AccountabilityStatus
    decision: dict[str, Any] | None
    distribution: str
    version: int


class AccountabilityBody(Body):
    item_ids: list[Id] = Field(min_length=1, max_length=50, description="the directive's items that show the failure")
    person_id: Id = Field(description="the roster id of the person held accountable (units service's roster)")
    form: AccountabilityForm
    failed_duty: Text = Field(min_length=1, description="失责情形 (the duty that failed)")
    grounds: Text = Field(min_length=1, description="问责依据和事实 (facts and grounds)")


class ProposeAccountability(Command[AccountabilityRecorded], AccountabilityBody):
    """Propose accountability for a failed duty on a directive's items, against one person of the roster."""

    service = SERVICE

    directive_id: Id


class AccountabilityDecisionBody(Body):
    outcome: AccountabilityOutcome
    form: AccountabilityForm | None = Field(default=None, description="the form decided (required when decided)")
    decided_by_body: ShortText = Field(min_length=1, description="决定机关 (the body that decided, e.g. 部党组)")
    decided_on: Day
    note: Text = ""


class DecideAccountability(Command[AccountabilityRecorded], AccountabilityDecisionBody):
    """Record the decision on a proposed accountability: the form decided, or not pursued with the reason."""

    service = SERVICE

    accountability_id: Id


class GetAccountability(Query[AccountabilityView]):
    """One accountability with its grounds and decision."""

    service = SERVICE

    accountability_id: Id


__all__: list[str] = [
    "AccountabilityBody", "AccountabilityDecisionBody", "AccountabilityForm", "AccountabilityOutcome",
    "AccountabilityRecorded", "AccountabilityStatus", "AccountabilityView", "DecideAccountability",
    "GetAccountability", "ProposeAccountability",
]
