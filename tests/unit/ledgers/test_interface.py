"""The ledgers interface: every operation has its handler, the OpenAPI document tells the truth, and a refused
call answers the same status and code in-process (embedded) and over the service's HTTP server (distributed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

import authz
from authz import Permission, Principal
from gateway.clients import HttpClient, LocalClient, ServiceClient
from gateway.main import create_app
from paizhu.platform import Platform
from paizhu.settings import Settings
from runtime.server import create_service_app
from services.common.application import operation_of
from services.common.clock import ManualClock
from services.common.errors import DomainError
from services.common.interface import Operation, operations
from services.ledgers import interface
from services.ledgers.application import LedgersApplication
from services.ledgers.interface import (
    AmendDirective,
    GetDirective,
    GetItem,
    RecordStage,
    RegisterDirective,
    RunScheduler,
    WithdrawDirective,
)
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
from tests.openapi_checks import enums

authz.load_rules()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def handlers() -> dict[type[Operation[Any]], str]:
    """The operation each @command / @query method of the application takes."""
    found = {}
    for name in dir(LedgersApplication):
        handler = getattr(getattr(LedgersApplication, name), "handler", None)
        if handler is not None:
            operation = operation_of(handler)
            assert operation is not None, f"{name} does not take its operation model"
            found[operation] = name
    return found


def test_every_operation_has_a_handler_and_every_handler_an_operation() -> None:
    declared = set(operations("ledgers").values())
    handled = handlers()
    assert declared == set(handled), (declared ^ set(handled))
    assert len(handled) == len(set(handled.values()))
    assert all(op.__module__.startswith(f"{interface.__name__}.") for op in declared)


# -- the OpenAPI document ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    platform = Platform(Settings(mode="embedded", demo=False), clock=ManualClock(datetime(2025, 3, 3, tzinfo=UTC)),
                        in_memory=True)
    schema: dict[str, Any] = create_app(platform.gateway_runtime()).openapi()
    return schema


@pytest.mark.parametrize("labels", [
    STAGE_LABELS, LIST_KINDS, PROBLEM_TYPES, ROOT_CAUSES, ECOLOGY_JUDGEMENTS, EVALUATION_DIMENSIONS,
    DEADLINE_BASES, PROGRESS_STATUSES, REPORTED_STATUS_LABELS, ITEM_STATUSES, ITEM_SOURCES,
], ids=lambda labels: next(iter(labels)))
def test_every_vocabulary_is_an_enum_with_its_labels(document: dict[str, Any], labels: dict[str, str]) -> None:
    assert set(labels) in [set(found) for found in enums(document)]
    text = str(document)
    assert all(label in text for label in labels.values())


def _ledgers_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        if path.startswith("/api/ledgers"):
            for method, spec in methods.items():
                yield path, method, spec


def test_every_route_documents_its_errors_with_the_error_schema(document: dict[str, Any]) -> None:
    routes = list(_ledgers_operations(document))
    assert len(routes) >= 45
    for path, method, spec in routes:
        for status in ("401", "403", "404", "409", "422"):
            response = spec["responses"].get(status)
            assert response is not None, (method, path, status)
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
        success = next(s for s in spec["responses"] if s.startswith("2"))
        content = spec["responses"][success]["content"]
        assert content, (method, path)
        if path.endswith(".xlsx"):
            assert list(content) == [XLSX]
        else:
            assert content["application/json"]["schema"], (method, path)


def test_uploads_state_the_workbook_media_type(document: dict[str, Any]) -> None:
    for path in ("/api/ledgers/imports/preview", "/api/ledgers/imports"):
        form = document["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
        assert form["encoding"]["file"]["contentType"] == XLSX
        assert form["schema"]["$ref"].startswith("#/components/schemas/")


def test_request_bodies_are_the_interface_models(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "StageBody" in schemas and "ItemBody" in schemas and "RegisterDirective" in schemas
    assert not [name for name in schemas if name in ("StageRecord", "ItemCreate", "DirectiveCreate")]


# -- the same refusal in both modes -------------------------------------------------------------------------
STAFF = Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee",
                  supervised_unit_ids=frozenset({"unit-mee"}))
OTHER = Principal("zhou.other", "周涛", "group-mwr", "group", frozenset({"group_staff"}), group_id="group-mwr",
                  supervised_unit_ids=frozenset({"unit-mwr"}))
HQ = Principal("chen.hq", "陈静", "hq", "hq", frozenset({"hq_staff"}))
UNIT = Principal("zhao.unit", "赵", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")
DIRECTIVE = RegisterDirective(group_id="group-mee", unit_id="unit-mee", reference_number="环办〔2025〕1号",
                              issuer="中共中央办公厅", title="关于长江保护修复的重要批示", issued_on=date(2025, 2, 20),
                              received_on=date(2025, 2, 24), lead_department="水生态环境司")


@pytest.fixture
def app() -> LedgersApplication:
    return LedgersApplication(clock=ManualClock(datetime(2025, 3, 3, 1, tzinfo=UTC)))


def clients(app: LedgersApplication) -> dict[str, ServiceClient]:
    http = HttpClient("http://ledgers", token="secret")
    http.http = TestClient(create_service_app(app, "secret"), base_url="http://ledgers")
    return {"embedded": LocalClient(app), "distributed": http}


def refusal(client: ServiceClient, operation: Operation[Any], principal: Principal, action: str | None) -> tuple[int, str]:
    with pytest.raises(DomainError) as refused:
        client.run(operation, Permission(principal, action))
    return refused.value.status, refused.value.code


CASES: list[tuple[str, Callable[[str], Operation[Any]], Principal, str | None, tuple[int, str]]] = [
    ("missing", lambda _: GetDirective(directive_id="6f1c2a4e-6a41-4f43-9a53-70616970687a"), STAFF,
     "ledgers.read_directive", (404, "not_found")),
    ("not an id of a record", lambda _: GetDirective(directive_id="no-such-record"), STAFF,
     "ledgers.read_directive", (404, "not_found")),
    ("another group's", lambda d: GetDirective(directive_id=d), OTHER, "ledgers.read_directive", (404, "not_found")),
    ("another group's, acting", lambda d: WithdrawDirective(directive_id=d, reason="x"), OTHER,
     "ledgers.withdraw_directive", (404, "not_found")),
    ("the unit's item list is not the directive", lambda d: GetDirective(directive_id=d), UNIT,
     "ledgers.read_item", (404, "not_found")),
    ("may read, may not act", lambda d: WithdrawDirective(directive_id=d, reason="x"), HQ,
     "ledgers.withdraw_directive", (403, "forbidden")),
    ("creating outside one's scope", lambda _: DIRECTIVE.model_copy(update={"unit_id": "unit-mwr"}), STAFF,
     "ledgers.register_directive", (403, "forbidden")),
    ("the record's state", lambda d: RecordStage(directive_id=d, stage="plan", done_on=date(2025, 3, 1),
                                                 summary="方案", done_by="办公厅"), STAFF,
     "ledgers.record_stage", (409, "stage_out_of_order")),
    ("the aggregate's rule", lambda d: WithdrawDirective(directive_id=d, reason=" "), STAFF,
     "ledgers.withdraw_directive", (422, "reason_required")),
    ("an operation's own rule", lambda _: DIRECTIVE.model_copy(update={"received_on": date(2025, 2, 1)}), STAFF,
     "ledgers.register_directive", (422, "received_before_issued")),
    ("the wrong kind of record", lambda d: GetItem(item_id=d), STAFF, "ledgers.read_item", (404, "not_found")),
]


@pytest.mark.parametrize(("case", "operation", "principal", "action", "expected"), CASES,
                         ids=[case[0] for case in CASES])
def test_a_refusal_is_the_same_in_process_and_over_http(
    app: LedgersApplication, case: str, operation: Callable[[str], Operation[Any]], principal: Principal,
    action: str | None, expected: tuple[int, str],
) -> None:
    directive_id = LocalClient(app).run(DIRECTIVE, Permission(STAFF, "ledgers.register_directive")).directive_id
    position = app.max_position()
    answers = {mode: refusal(client, operation(directive_id), principal, action)
               for mode, client in clients(app).items()}
    assert answers == {"embedded": expected, "distributed": expected}
    assert app.max_position() == position


def test_a_result_is_the_same_model_in_process_and_over_http(app: LedgersApplication) -> None:
    results = {mode: client.run(DIRECTIVE.model_copy(update={"reference_number": f"环办〔2025〕{n}号"}),
                                Permission(STAFF, "ledgers.register_directive"))
               for n, (mode, client) in enumerate(clients(app).items(), start=2)}
    assert {type(r).__name__ for r in results.values()} == {"DirectiveRecorded"}
    views = {mode: client.run(GetDirective(directive_id=results["embedded"].directive_id),
                              Permission(HQ, "ledgers.read_directive")) for mode, client in clients(app).items()}
    assert views["embedded"] == views["distributed"]
    assert views["embedded"].issued_on == date(2025, 2, 20)
    run = {mode: client.run(RunScheduler(), Permission(HQ, "ledgers.run_scheduler"))
           for mode, client in clients(app).items()}
    assert run["embedded"].items_overdue == run["distributed"].items_overdue == 0


def test_a_correction_changes_only_the_fields_given_in_both_modes(app: LedgersApplication) -> None:
    amend = Permission(STAFF, "ledgers.amend_directive")
    for n, client in enumerate(clients(app).values(), start=2):
        directive_id = client.run(DIRECTIVE.model_copy(update={"reference_number": f"环办〔2025〕{n}号"}),
                                  Permission(STAFF, "ledgers.register_directive")).directive_id
        client.run(AmendDirective(directive_id=directive_id, changes={"title": "更正后的标题"}, reason="笔误"), amend)
        view = client.run(GetDirective(directive_id=directive_id), Permission(STAFF, "ledgers.read_directive"))
        assert (view.title, view.issuer, view.amendments) == ("更正后的标题", DIRECTIVE.issuer, 1)
