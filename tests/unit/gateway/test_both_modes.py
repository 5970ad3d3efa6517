"""The same operation gives the same result and the same refusal in-process and over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from authz import Permission, Principal
from gateway.clients import ServiceClient
from services.common.interface import Command, Recorded
from services.ledgers.application import LedgersApplication
from services.ledgers.interface import GetDirective, RecordStage, RegisterDirective
from tests.both_modes import both_modes, outcome

STAFF = Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee",
                  supervised_unit_ids=frozenset({"unit-mee"}))
OTHER_GROUP = Principal("zhou.other", "周涛", "group-mwr", "group", frozenset({"group_staff"}),
                        group_id="group-mwr", supervised_unit_ids=frozenset({"unit-mwr"}))
UNIT = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")


class NotALedgersOperation(Command[Recorded]):
    service = "test-only"  # not registered with the ledgers: neither mode may run it
    anything: str = "x"


def registration(reference: str) -> RegisterDirective:
    return RegisterDirective(group_id="group-mee", unit_id="unit-mee", reference_number=reference, issuer="国务院",
                             title="关于推进美丽中国建设的意见", issued_on=date(2025, 1, 2),
                             received_on=date(2025, 1, 3), lead_department="综合司")


@pytest.fixture(scope="module")
def clients() -> dict[str, ServiceClient]:
    app = LedgersApplication()
    return both_modes(app)



def test_a_result_is_the_same_typed_model_in_both_modes(clients: dict[str, ServiceClient]) -> None:
    for client in clients.values():
        recorded = client.run(registration(f"中发〔2025〕{uuid.uuid4().hex[:6]}号"),
                              Permission(STAFF, "ledgers.register_directive"))
        view = client.run(GetDirective(directive_id=recorded.directive_id),
                          Permission(STAFF, "ledgers.read_directive"))
        assert view.title == "关于推进美丽中国建设的意见"
        assert view.issued_on == date(2025, 1, 2)


def attempt(client: ServiceClient, case: str) -> tuple[int, str]:
    existing = client.run(registration(f"中发〔2024〕{uuid.uuid4().hex[:6]}号"),
                          Permission(STAFF, "ledgers.register_directive")).directive_id
    read, stage = Permission(STAFF, "ledgers.read_directive"), Permission(STAFF, "ledgers.record_stage")
    calls: dict[str, Callable[[], Any]] = {
        "missing record": lambda: client.run(GetDirective(directive_id=str(uuid.uuid4())), read),
        "malformed id": lambda: client.run(GetDirective(directive_id="not-a-uuid"), read),
        "another group's record": lambda: client.run(
            GetDirective(directive_id=existing), Permission(OTHER_GROUP, "ledgers.read_directive")),
        "a unit reading the group's record": lambda: client.run(
            GetDirective(directive_id=existing), Permission(UNIT, "ledgers.read_directive")),
        "creating in another group's unit": lambda: client.run(
            registration("中发〔2023〕1号"), Permission(OTHER_GROUP, "ledgers.register_directive")),
        "a rule the record refuses": lambda: client.run(RecordStage(
            directive_id=existing, stage="plan", done_on=date(2025, 2, 1), summary="方案", done_by="综合司"),
            stage),
        "an operation the service does not have": lambda: client.run(NotALedgersOperation(), read),
    }
    return outcome(calls[case])


@pytest.mark.parametrize(("case", "expected"), [
    ("missing record", (404, "not_found")),
    ("malformed id", (404, "not_found")),
    ("another group's record", (404, "not_found")),
    ("a unit reading the group's record", (404, "not_found")),
    ("creating in another group's unit", (403, "forbidden")),
    ("a rule the record refuses", (409, "stage_out_of_order")),
    ("an operation the service does not have", (404, "unknown_operation")),
])
def test_a_refusal_is_the_same_in_both_modes(clients: dict[str, ServiceClient], case: str,
                                             expected: tuple[int, str]) -> None:
    seen = {mode: attempt(client, case) for mode, client in clients.items()}
    assert seen["embedded"] == seen["distributed"] == expected
