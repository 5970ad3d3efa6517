"""第一议题 (first agenda item): whether the unit's party group studied a directive as the first item on its
agenda, and how many working days after receipt.

The seed asks that the unit relay and study the General Secretary's directives "第一时间" and "严格执行'第一议题'
制度" (seed 002): it names no number of days. The threshold is therefore a setting of the ledgers service
(`PAIZHU_FIRST_AGENDA_THRESHOLD_DAYS`, handed to it as `FIRST_AGENDA_THRESHOLD_DAYS`), by default
DEFAULT_THRESHOLD_WORKING_DAYS working days after receipt (counted with services/common/workdays.py: the day of
receipt itself not counted). A study later than that, or not as the first agenda item at all, is an alert.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.errors import InvalidInputError
from services.common.workdays import Calendar, add_working_days, working_days_between
from services.ledgers.vocab import FirstAgendaOutcome

DEFAULT_THRESHOLD_WORKING_DAYS = 7
"""The seed says only 第一时间 (at the first opportunity): seven working days, a setting."""
THRESHOLD_SETTING = "FIRST_AGENDA_THRESHOLD_DAYS"


def threshold_from(value: Any) -> int:
    """The threshold a setting gives (a positive number of working days), or the default when unset."""
    if value is None or str(value).strip() == "":
        return DEFAULT_THRESHOLD_WORKING_DAYS
    try:
        days = int(str(value))
    except ValueError as error:
        raise ValueError(f"{THRESHOLD_SETTING} must be a whole number of working days: {value!r}") from error
    if days < 0:
        raise ValueError(f"{THRESHOLD_SETTING} must not be negative: {days}")
    return days


def assess(received_on: date, studied_on: date, first_agenda_item: bool, threshold: int,
           calendar: Calendar | None = None) -> dict[str, Any]:
    """The fact to record: working days from receipt to the study, the threshold and its due date, the outcome."""
    if studied_on < received_on:
        raise InvalidInputError("学习日期早于收文日期 (studied before the directive was received)",
                                code="studied_before_receipt")
    counted = working_days_between(received_on, studied_on, calendar)
    due_on = add_working_days(received_on, threshold, calendar).day
    if not first_agenda_item:
        outcome = FirstAgendaOutcome.missed
    elif counted.days > threshold:
        outcome = FirstAgendaOutcome.late
    else:
        outcome = FirstAgendaOutcome.in_time
    return {
        "first_agenda_item": first_agenda_item, "studied_on": studied_on, "received_on": received_on,
        "working_days_after_receipt": counted.days, "threshold_working_days": threshold, "due_on": due_on,
        "outcome": outcome.value, "calendar": counted.calendar, "provisional": counted.provisional,
    }
