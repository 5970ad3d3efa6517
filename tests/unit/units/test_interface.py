"""The units interface: every operation handled, an honest OpenAPI document, the same refusals in both modes."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI

import authz
from authz import Permission, Principal
from gateway.clients import ServiceClient
from gateway.errors import install
from gateway.units.router import router
from services.common.application import operation_of
from services.common.interface import operations
from services.units import interface as ops
from services.units.application import UnitsApplication
from services.units.attachments import MEDIA_TYPES
from services.units.deliberation import STANCES
from services.units.inbound import EVALUATION_GRADES
from services.units.outbound import ITEM_STATUSES
from services.units.power import MATTER_CATEGORIES
from services.units.roster import ADDABLE_DEPARTMENT_KINDS
from tests.both_modes import both_modes, outcome
from tests.factories import acting_as

STAFF = Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee",
                  supervised_unit_ids=frozenset({"unit-mee"}))
OTHER_GROUP = Principal("zhou.other", "周涛", "group-mwr", "group", frozenset({"group_staff"}),
                        group_id="group-mwr", supervised_unit_ids=frozenset({"unit-mwr"}))
LIAISON = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")
OTHER_LIAISON = Principal("qian.unit2", "钱", "unit-mwr", "unit", frozenset({"unit_liaison"}), unit_id="unit-mwr")
HQ = Principal("chen.hq", "陈", "hq", "hq", frozenset({"hq_staff"}))
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_every_operation_has_a_handler_and_every_handler_an_operation() -> None:
    app = UnitsApplication()
    handled = {operation_of(method.handler) for method in (app.commands() | app.queries()).values()}
    assert None not in handled, "a command or query still takes keywords instead of its operation"
    assert handled == set(operations("units").values())
    for operation in operations("units").values():
        assert operation.result_type is not None, operation.__name__


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    authz.load_rules()
    app = FastAPI()
    app.include_router(router)
    install(app)
    document: dict[str, Any] = app.openapi()
    return document


def _schema(document: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][reference["$ref"].rsplit("/", 1)[-1]]
    return found


def _enum_of(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            return list(option["enum"])
    raise AssertionError(f"no enum in {schema}")


def test_vocabularies_are_enums_with_their_labels(openapi: dict[str, Any]) -> None:
    def body_field(path: str, field: str) -> dict[str, Any]:
        body = openapi["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        properties: dict[str, Any] = _schema(openapi, body)["properties"]
        return properties[field]

    department_kind = body_field("/api/units/units/{unit_id}/departments", "kind")
    assert _enum_of(openapi, department_kind) == list(ADDABLE_DEPARTMENT_KINDS)
    assert "司局" in department_kind["description"]
    grade = body_field("/api/units/units/{unit_id}/inbound/democratic-evaluations", "grade")
    assert _enum_of(openapi, grade) == list(EVALUATION_GRADES)
    assert _enum_of(openapi, body_field("/api/units/feedback-drafts/{draft_id}/opinions", "stance")) == list(STANCES)
    category = body_field("/api/units/units/{unit_id}/power-matters/observed", "category")
    assert _enum_of(openapi, category) == list(MATTER_CATEGORIES)
    [status] = [p for p in openapi["paths"]["/api/units/units/{unit_id}/items"]["get"]["parameters"]
                if p["name"] == "status"]
    assert _enum_of(openapi, status["schema"]) == list(ITEM_STATUSES)


def test_every_route_documents_its_result_and_errors_with_the_error_schema(openapi: dict[str, Any]) -> None:
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            success = responses.get("201") or responses["200"]
            assert success.get("content"), f"{method} {path}: no documented result"
            for status in ("401", "403", "404", "409", "422"):
                error = responses[status]["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/ErrorBody"}, f"{method} {path} {status}"


def test_an_attachment_download_declares_its_media_types(openapi: dict[str, Any]) -> None:
    download = openapi["paths"]["/api/units/submissions/{submission_id}/attachments/{sha256}"]["get"]
    assert set(download["responses"]["200"]["content"]) == set(MEDIA_TYPES)


# -- the same operation, the same refusal in-process and over the service's HTTP interface ----------------
@pytest.fixture(scope="module")
def clients() -> dict[str, ServiceClient]:
    app = UnitsApplication()
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        app.register_unit(group_id="group-mee", unit_id="unit-mee", name="生态环境部", party_group_name="部党组")
        app.add_department(unit_id="unit-mee", department_id="jczz", name="中国环境监测总站", kind="subordinate")
    with app.acting(acting_as("zhou.other", "group-mwr", "group_staff")):
        app.register_unit(group_id="group-mwr", unit_id="unit-mwr", name="水利部", party_group_name="部党组")
    return both_modes(app)



def attempt(client: ServiceClient, case: str) -> tuple[int, str]:
    item_id = client.run(ops.IssueRequest(
        unit_id="unit-mee", kind="document_request", title="调阅资料", body="请提供会议纪要", counterpart_id="jczz",
        deadline=date(2099, 4, 30)), Permission(STAFF, "units.issue_item")).item_id
    draft_id = client.run(ops.DraftFeedback(
        unit_id="unit-mee", title="反馈意见", body="意见正文", counterpart_id="jczz", deadline=date(2099, 5, 30)),
        Permission(STAFF, "units.deliberate_feedback")).draft_id
    upload = ops.UploadAttachment(filename="a.exe", content_base64=base64.b64encode(b"MZ\x90\x00\xff").decode())
    calls: dict[str, Callable[[], Any]] = {
        "a missing item": lambda: client.run(ops.GetItem(item_id=str(uuid.uuid4())),
                                             Permission(LIAISON, "units.read")),
        "another unit's item": lambda: client.run(ops.GetItem(item_id=item_id),
                                                  Permission(OTHER_LIAISON, "units.read")),
        "acting on another unit's item": lambda: client.run(ops.AcknowledgeItem(item_id=item_id),
                                                            Permission(OTHER_LIAISON, "units.respond_item")),
        "submitting for another unit": lambda: client.run(ops.SubmitProgressReport(
            unit_id="unit-mee", title="进展", subject_ref="x", period="2025-03", summary="s"),
            Permission(OTHER_LIAISON, "units.submit_inbound")),
        "a missing unit": lambda: client.run(ops.GetUnit(unit_id="unit-xyz"), Permission(LIAISON, "units.read")),
        "another group's unit": lambda: client.run(ops.GetUnit(unit_id="unit-mee"),
                                                   Permission(OTHER_GROUP, "units.read")),
        "HQ reading a group-internal draft": lambda: client.run(ops.GetFeedbackDraft(draft_id=draft_id),
                                                                Permission(HQ, "units.read_draft")),
        "HQ acting where it may only read": lambda: client.run(ops.RecordDelivery(item_id=item_id),
                                                               Permission(HQ, "units.track_item")),
        "the routing matrix refuses the signer": lambda: client.run(ops.IssueRequest(
            unit_id="unit-mee", kind="document_request", title="调阅", body="资料", counterpart_id="party-group",
            deadline=date(2099, 4, 30)), Permission(STAFF, "units.issue_item")),
        "an executable as an attachment": lambda: client.run(upload, Permission(LIAISON, "units.upload_attachment")),
    }
    return outcome(calls[case])


@pytest.mark.parametrize(("case", "expected"), [
    ("a missing item", (404, "not_found")),
    ("another unit's item", (404, "not_found")),
    ("acting on another unit's item", (404, "not_found")),
    ("submitting for another unit", (404, "unit_not_found")),
    ("a missing unit", (404, "unit_not_found")),
    ("another group's unit", (404, "unit_not_found")),
    ("HQ reading a group-internal draft", (404, "not_found")),
    ("HQ acting where it may only read", (403, "forbidden")),
    ("the routing matrix refuses the signer", (409, "wrong_counterpart")),
    ("an executable as an attachment", (422, "attachment_type_not_allowed")),
])
def test_a_refusal_is_the_same_in_both_modes(clients: dict[str, ServiceClient], case: str,
                                             expected: tuple[int, str]) -> None:
    seen = {mode: attempt(client, case) for mode, client in clients.items()}
    assert seen["embedded"] == seen["distributed"] == expected
