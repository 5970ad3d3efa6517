"""第一议题 (first agenda item): recorded at relay_study, counted in working days from receipt, against a
threshold (a setting, 7 working days by default: the seed says only 第一时间); late or missed is published."""

from __future__ import annotations

from datetime import date

import pytest

from events.registry import decode
from services.common import workdays
from services.common.clock import ManualClock
from services.common.errors import InvalidInputError
from services.ledgers.application import LedgersApplication
from services.ledgers.first_agenda import DEFAULT_THRESHOLD_WORKING_DAYS, threshold_from
from tests.factories import acting_as

from .conftest import register

# register() receives on Monday 2025-02-24: 7 working days later is Wednesday 2025-03-05.


def test_working_days_between_skip_the_national_holiday_and_count_the_makeup_days() -> None:
    # 2025 National Day: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked (调休)
    counted = workdays.working_days_between(date(2025, 9, 26), date(2025, 10, 10))
    assert counted.days == 5  # 09-28 (makeup Sunday), 09-29, 09-30, 10-09, 10-10
    assert not counted.provisional
    assert workdays.working_days_between(date(2025, 2, 24), date(2025, 2, 24)).days == 0
    with pytest.raises(InvalidInputError):
        workdays.working_days_between(date(2025, 2, 24), date(2025, 2, 23))


def test_studied_as_first_agenda_item_in_time(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 26), "党组会第一议题传达学习", "部党组",
                     meeting="部党组会议", first_agenda_item=True)
    view = app.get_directive(directive_id)
    fact = view["first_agenda"]
    assert fact is not None
    assert (fact.first_agenda_item, fact.working_days_after_receipt, fact.outcome) == (True, 2, "in_time")
    assert (fact.threshold_working_days, fact.due_on) == (DEFAULT_THRESHOLD_WORKING_DAYS, date(2025, 3, 5))
    assert fact.studied_on == date(2025, 2, 26) and not fact.provisional
    assert "relay_study" in view["stages"]


def test_the_last_day_of_the_threshold_is_in_time_the_next_is_late(app: LedgersApplication) -> None:
    in_time, late = register(app, "环办〔2025〕1号"), register(app, "环办〔2025〕2号")
    app.record_stage(in_time, "relay_study", date(2025, 3, 5), "传达", "部党组", first_agenda_item=True)
    app.record_stage(late, "relay_study", date(2025, 3, 6), "传达", "部党组", first_agenda_item=True)
    assert app.get_directive(in_time)["first_agenda"].outcome == "in_time"
    fact = app.get_directive(late)["first_agenda"]
    assert (fact.working_days_after_receipt, fact.outcome) == (8, "late")


def test_working_days_not_calendar_days_decide_across_a_holiday(app: LedgersApplication) -> None:
    # received Friday 2025-09-26, studied 2025-10-10: 14 calendar days but 5 working days (National Day)
    directive_id = register(app, issued_on=date(2025, 9, 20), received_on=date(2025, 9, 26))
    app.record_stage(directive_id, "relay_study", date(2025, 10, 10), "传达", "部党组", first_agenda_item=True)
    fact = app.get_directive(directive_id)["first_agenda"]
    assert (fact.working_days_after_receipt, fact.outcome) == (5, "in_time")


def test_not_studied_as_first_agenda_item_is_missed(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "办公会传达", "部党组", first_agenda_item=False)
    assert app.get_directive(directive_id)["first_agenda"].outcome == "missed"


def test_without_the_fact_nothing_is_recorded(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "传达", "部党组")
    assert app.get_directive(directive_id)["first_agenda"] is None


def test_first_agenda_on_another_stage_or_before_receipt_is_refused(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError) as error:
        app.record_stage(directive_id, "deployment", date(2025, 2, 26), "部署", "部党组",
                         skip_reason="已在上级会议传达", first_agenda_item=True)
    assert error.value.code == "first_agenda_relay_only"
    with pytest.raises(InvalidInputError) as error:
        app.record_stage(directive_id, "relay_study", date(2025, 2, 21), "传达", "部党组", first_agenda_item=True)
    assert error.value.code == "studied_before_receipt"
    assert app.get_directive(directive_id)["stages"] == {}


def test_the_threshold_is_a_setting(clock: ManualClock) -> None:
    app = LedgersApplication(env={"FIRST_AGENDA_THRESHOLD_DAYS": "10"}, clock=clock)
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        directive_id = register(app)
        app.record_stage(directive_id, "relay_study", date(2025, 3, 10), "传达", "部党组", first_agenda_item=True)
        fact = app.get_directive(directive_id)["first_agenda"]
    assert (fact.working_days_after_receipt, fact.threshold_working_days, fact.outcome) == (10, 10, "in_time")
    assert threshold_from(None) == threshold_from("") == 7
    with pytest.raises(ValueError):
        threshold_from("seven")


def test_the_fact_is_published_to_hq_and_the_group(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 3, 10), "传达", "部党组", first_agenda_item=True)
    envelopes, _ = app.integration_events(after=0, limit=100)
    found = [e for e in envelopes if e.type == "ledgers.FirstAgendaItemRecorded"]
    assert len(found) == 1
    envelope = found[0]
    assert (envelope.distribution, envelope.group_id, envelope.unit_id, envelope.schema_version) == (
        "hq", "group-mee", "unit-mee", 1)
    payload = decode(envelope)
    assert (payload.directive_id, payload.outcome, payload.working_days_after_receipt) == (directive_id, "late", 10)
    assert (payload.received_on, payload.due_on, payload.threshold_working_days) == (
        date(2025, 2, 24), date(2025, 3, 5), 7)
    # the stage itself is still published in its unchanged v1 contract
    assert [e.type for e in envelopes].index("ledgers.DirectiveStageRecorded") < envelopes.index(envelope)
