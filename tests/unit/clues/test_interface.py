"""The clues service's typed interface: complete, documented honestly, and the same in both modes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import authz
from authz import Permission, Principal
from gateway.accounts import ACCOUNTS
from gateway.auth import principal_from_claims
from gateway.clients import HttpClient, LocalClient, RemoteError
from runtime.server import create_service_app
from services.clues import interface as i
from services.clues.application import CluesApplication
from services.clues.compartment import CONTENT_PART_LABELS
from services.clues.domainmodel import (
    CATEGORY_LABELS,
    DISPOSITION_LABELS,
    INQUIRY_FORM_LABELS,
    JOINT_PART_LABELS,
    RESULT_LABELS,
    SOURCE_LABELS,
)
from services.common.application import operation_of
from services.common.errors import DomainError
from services.common.interface import Operation, operations
from tests.api_helpers import embedded_api
from tests.unit.clues.conftest import SUMMARY, assess_and_propose, register

TOKEN = "service-token-for-tests"  # noqa: S105


def principal(user: str) -> Principal:
    account = ACCOUNTS[user]
    return principal_from_claims({"sub": user, "org": account.org_id, "roles": list(account.roles)})


def test_every_operation_has_a_handler_and_every_handler_an_operation(app: CluesApplication) -> None:
    declared = set(operations("clues").values())
    handled = {operation_of(method.handler) for method in [*app.commands().values(), *app.queries().values()]}
    assert None not in handled, "a command or query that takes no operation model"
    assert handled == declared
    for operation in declared:
        assert operation.kind == ("command" if issubclass(operation, i.Command) else "query")
        assert operation.result_type is not None, operation


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    with embedded_api() as api:
        document: dict[str, Any] = api.client.get("/openapi.json").json()
    return document


def _enum_of(schema: dict[str, Any], document: dict[str, Any]) -> list[str] | None:
    """The allowed values of a property (through `$ref`, arrays and `anyOf` with null)."""
    if "$ref" in schema:
        return _enum_of(document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], document)
    if "enum" in schema:
        return list(schema["enum"])
    if "items" in schema:
        return _enum_of(schema["items"], document)
    for option in schema.get("anyOf", []):
        found = _enum_of(option, document)
        if found:
            return found
    return None


@pytest.mark.parametrize(("model", "field", "labels"), [
    ("ClueBody", "source", SOURCE_LABELS),
    ("ClueBody", "categories", CATEGORY_LABELS),
    ("DispositionProposalBody", "disposition", DISPOSITION_LABELS),
    ("DispositionDecisionBody", "disposition", DISPOSITION_LABELS),
    ("ClueInquiryBody", "form", INQUIRY_FORM_LABELS),
    ("ClueConclusionBody", "result", RESULT_LABELS),
    ("ClueReadBody", "parts", CONTENT_PART_LABELS),
    ("JointShareBody", "parts", JOINT_PART_LABELS),
])
def test_openapi_has_an_enum_with_labels_for_every_vocabulary(
    openapi: dict[str, Any], model: str, field: str, labels: dict[str, str]
) -> None:
    schema = openapi["components"]["schemas"][model]["properties"][field]
    assert _enum_of(schema, openapi) == list(labels)
    text = str(schema) + str(openapi["components"]["schemas"])
    assert all(label in text for label in labels.values())


def test_clues_models_keep_their_own_names_in_the_document(openapi: dict[str, Any]) -> None:
    """A name shared with another service's model would be replaced by its module path."""
    assert not [name for name in openapi["components"]["schemas"] if name.startswith("services__clues__")]


def test_every_clues_route_documents_its_errors_with_the_error_schema(openapi: dict[str, Any]) -> None:
    routes = {path: item for path, item in openapi["paths"].items() if path.startswith("/api/clues/")}
    assert len(routes) >= 25
    for path, item in routes.items():
        for method, operation in item.items():
            responses = operation["responses"]
            for status in ("401", "403", "404", "409", "422"):
                assert status in responses, (method, path, status)
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            success = next(s for s in responses if s.startswith("2"))
            assert responses[success]["content"]["application/json"]["schema"], (method, path)


def test_content_parts_not_read_are_absent_in_both_the_model_and_the_document(openapi: dict[str, Any]) -> None:
    content = openapi["components"]["schemas"]["DisclosedClue"]
    assert {"subject", "allegations", "notes", "documents", "disclosure_position"} <= set(content["properties"])
    assert "subject" not in content["required"]


# -- the same refusal in-process and through the service's HTTP server ----------------------------
@pytest.fixture
def clients(app: CluesApplication) -> Iterator[tuple[LocalClient, HttpClient]]:
    authz.load_rules()
    remote = HttpClient("http://clues", TOKEN)
    remote.http = TestClient(create_service_app(app, TOKEN), base_url="http://clues")
    yield LocalClient(app), remote
    remote.http.close()


def outcome(client: LocalClient | HttpClient, operation: Operation[Any], user: str, action: str) -> Any:
    try:
        result = client.run(operation, Permission(principal(user), action))
    except RemoteError as error:
        return (error.status, error.code, error.message)
    except DomainError as error:
        return (error.status, error.code, error.message)
    if isinstance(result, list):
        return [row.model_dump(mode="json") for row in result]
    return result.model_dump(mode="json")


def test_refusals_are_the_same_in_process_and_over_http(
    app: CluesApplication, clients: tuple[LocalClient, HttpClient]
) -> None:
    local, remote = clients
    clue_id = register(app)
    assess_and_propose(app, clue_id, "inquiry")
    missing = "6b0a3c1e-0000-4000-8000-000000000000"
    cases: list[tuple[Operation[Any], str, str, int]] = [
        (i.GetClueFacts(clue_id=clue_id), "zhou.other", "clues.read", 404),  # another group
        (i.GetClueFacts(clue_id=missing), "zhou.other", "clues.read", 404),
        (i.ReadClue(clue_id=clue_id, reader="wang.qiang", reason="了解"), "wang.qiang", "clues.read", 404),
        (i.ReadClue(clue_id=clue_id, reader="chen.hq", reason="督办"), "chen.hq", "clues.read", 404),
        (i.DecideDisposition(clue_id=clue_id, approved=True), "he.leader2", "clues.decide", 404),
        (i.NoteAssessment(clue_id=clue_id, political_analysis=" "), "zhang.wei", "clues.work", 422),
        (i.RecordInquiry(clue_id=clue_id, form="talk", held_on="2025-03-04", summary="谈话"),
         "zhang.wei", "clues.work", 409),
        (i.AddMember(clue_id=clue_id, user="zhao.unit", reason="加入",
                     directory=[i.DirectoryEntry(user_id="zhao.unit", org_id="unit-mee", org_kind="unit",
                                         roles=["unit_liaison"])]),
         "li.na", "clues.manage_compartment", 422),
        (i.ListDisclosures(clue_id=clue_id), "sun.audit", "clues.list_disclosures", 200),
        (i.ReadJointScreening(clue_id=clue_id, reader="zhao.unit", reason="核对"),
         "zhao.unit", "clues.read_joint_screening", 404),
    ]
    for operation, user, action, status in cases:
        here, there = outcome(local, operation, user, action), outcome(remote, operation, user, action)
        assert here == there, (type(operation).__name__, user, here, there)
        assert (here[0] if isinstance(here, tuple) else 200) == status, (type(operation).__name__, user, here)
    assert not any(r.reader in ("wang.qiang", "chen.hq") for r in app.list_disclosures(clue_id))


def test_a_read_crosses_http_with_only_the_parts_read(
    app: CluesApplication, clients: tuple[LocalClient, HttpClient]
) -> None:
    local, remote = clients
    clue_id = register(app)
    operation = i.ReadClue(clue_id=clue_id, reader="zhou.min", reason="准备谈话", parts=["allegations"])
    for client in (local, remote):
        content = client.run(operation, Permission(principal("zhou.min"), "clues.read"))
        assert content["allegations"]["summary"] == SUMMARY
        assert "allegations" in content and "subject" not in content
        assert "subject" not in content.model_dump(mode="json")
    assert [r.reader for r in app.list_disclosures(clue_id)] == ["zhou.min", "zhou.min"]


def test_recommendations_answer_403_to_who_may_read_but_not_act_in_both_modes(
    app: CluesApplication, clients: tuple[LocalClient, HttpClient]
) -> None:
    local, remote = clients
    drafted = local.run(i.DraftRecommendation(
        group_id="group-mee", unit_id="unit-mee", reference_number="建议〔2025〕9号", title="关于规范审批的建议",
        problems=["审批不规范"], recommendations=["规范审批"], responsible_department="环境影响评价司",
        deadline="2025-06-30"), Permission(principal("zhang.wei"), "clues.draft_recommendation"))
    issue = i.IssueRecommendation(recommendation_id=drafted.recommendation_id)
    for client in (local, remote):
        assert outcome(client, issue, "zhang.wei", "clues.issue_recommendation")[:2] == (403, "forbidden")
        assert outcome(client, issue, "zhao.unit", "clues.issue_recommendation")[:2] == (404, "not_found")
