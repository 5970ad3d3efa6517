"""Reference numbers are unique per unit through one small reservation each, not one ever-growing ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services.common.clock import ManualClock
from services.common.errors import ConflictError
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.loop import DuplicateReferenceError, MasterLedger, ReferenceReservation
from services.ledgers.interface import RegisterDirective
from tests.factories import acting_as

from . import read_model
from .conftest import GROUP, UNIT, register


def registration(reference: str) -> RegisterDirective:
    return RegisterDirective(
        group_id=GROUP, unit_id=UNIT, reference_number=reference, issuer="国务院办公厅", title="批示件",
        issued_on=date(2025, 2, 20), received_on=date(2025, 2, 24), lead_department="综合司",
    )


def test_each_registration_writes_a_reservation_of_one_event(app: LedgersApplication) -> None:
    ids = [register(app, f"环办〔2025〕{n}号") for n in range(1, 31)]
    for n, directive_id in enumerate(ids, start=1):
        reservation = app.repository.get(ReferenceReservation.create_id(UNIT, f"环办[2025]{n}号"))
        assert reservation.directive_id == directive_id
        assert reservation.version == 1
    assert MasterLedger.create_id(UNIT) not in app.repository  # nothing grows with the ledger


def test_registrations_of_different_numbers_prepared_together_both_succeed(app: LedgersApplication) -> None:
    first, first_others = app.new_directive(registration("环办〔2025〕1号"))
    second, second_others = app.new_directive(registration("环办〔2025〕2号"))
    app.record_reserving(UNIT, first.reference_number, str(first.id), first, *first_others)
    app.record_reserving(UNIT, second.reference_number, str(second.id), second, *second_others)
    assert {d["directive_id"] for d in read_model.directives(app)} == {str(first.id), str(second.id)}


def test_a_lost_race_for_the_same_number_is_answered_as_a_duplicate(app: LedgersApplication) -> None:
    first, first_others = app.new_directive(registration("环办〔2025〕5号"))
    second, second_others = app.new_directive(registration("环办[2025]5号"))  # checked before either is saved
    app.record_reserving(UNIT, first.reference_number, str(first.id), first, *first_others)
    with pytest.raises(DuplicateReferenceError) as refused:
        app.record_reserving(UNIT, second.reference_number, str(second.id), second, *second_others)
    assert refused.value.code == "duplicate_reference"
    assert isinstance(refused.value, ConflictError)
    assert [d["directive_id"] for d in read_model.directives(app)] == [str(first.id)]


def test_a_withdrawn_number_is_taken_again_by_the_new_directive(app: LedgersApplication) -> None:
    old = register(app, "环办〔2025〕9号")
    app.withdraw_directive(old, reason="登记错误")
    new = register(app, "环办〔2025〕9号")
    reservation = app.repository.get(ReferenceReservation.create_id(UNIT, "环办〔2025〕9号"))
    assert reservation.directive_id == new != old
    assert [type(e).__name__ for e in app.repository.event_store.get(reservation.id)] == [
        "Reserved", "Released", "Taken"
    ]


def test_reconciliation_compares_the_units_directives_by_reference(app: LedgersApplication) -> None:
    kept = register(app, "环办〔2025〕1号")
    withdrawn = register(app, "环办〔2025〕2号")
    app.withdraw_directive(withdrawn, reason="登记错误")
    register(app, "水发〔2025〕1号", unit_id="unit-mwr", group_id="group-mwr")
    reconciliation = app.new_reconciliation(GROUP, UNIT, "report-1", "2025Q1", [])
    assert reconciliation is not None
    assert [(f["kind"], f["directive_id"]) for f in reconciliation.findings] == [("missing_in_report", kept)]


def test_master_ledgers_of_an_older_store_are_carried_over_once(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "ledgers.db")}
    clock = ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))
    before = LedgersApplication(env=env, clock=clock)
    legacy = MasterLedger(group_id=GROUP, unit_id=UNIT)
    legacy._add_entry(reference_number="环办〔2025〕3号", directive_id="d-legacy")
    before.save(legacy)
    made = before.carry_over_master_ledgers()
    assert made == 1
    assert before.carry_over_master_ledgers() == 0  # once

    fresh_env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "other.db")}
    older = LedgersApplication(env=fresh_env, clock=clock)
    legacy = MasterLedger(group_id=GROUP, unit_id=UNIT)
    legacy._add_entry(reference_number="环办〔2025〕4号", directive_id="d-legacy")
    older.save(legacy)
    reopened = LedgersApplication(env=fresh_env, clock=clock)  # the start carries them over
    assert reopened.directive_with_reference(UNIT, "环办[2025]4号") == "d-legacy"
    with reopened.acting(acting_as("zhang.wei", GROUP, "group_staff")), pytest.raises(DuplicateReferenceError):
        reopened.register_directive(registration("环办〔2025〕4号"))
