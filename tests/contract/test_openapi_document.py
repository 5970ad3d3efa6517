"""The OpenAPI document's promises about errors, checked on the document itself; and the framework's own
errors (unknown paths, wrong methods, unparsable bodies) answered in the documented form, in both languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from gateway.main import create_app
from tests.api_helpers import Api, embedded_api

ERROR_REF = "#/components/schemas/ErrorBody"

PUBLIC = {
    # operation: exactly the error statuses it can answer
    ("post", "/api/session/login"): {"400", "401", "413", "422", "429"},
    ("get", "/api/session/me"): {"401"},
    ("get", "/healthz"): set(),
    ("get", "/readyz"): {"503"},
}
"""Operations that address no record and need no permission: they document what they can answer."""

API = {"401", "403", "404", "422"}
"""What every other operation can answer: no token, not allowed, no such record (or not yours to know),
invalid input."""

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app().openapi()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_no_fastapi_validation_error_anywhere(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert "ValidationError" not in document["components"]["schemas"]


def test_every_operation_documents_the_errors_it_can_answer(document: dict[str, Any]) -> None:
    missing = {}
    for method, path, operation in operations(document):
        errors = {status for status in operation["responses"] if status >= "400"}
        expected = PUBLIC.get((method, path))
        if expected is not None:
            if errors != expected:
                missing[f"{method.upper()} {path}"] = sorted(errors ^ expected)
        elif not API <= errors:
            missing[f"{method.upper()} {path}"] = sorted(API - errors)
    assert not missing, missing


def test_every_error_response_is_the_error_body(document: dict[str, Any]) -> None:
    wrong = []
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if status < "400" or (method, path, status) == ("get", "/readyz", "503"):
                continue
            content = response.get("content", {})
            if list(content) != ["application/json"] or content["application/json"]["schema"] != {"$ref": ERROR_REF}:
                wrong.append(f"{method.upper()} {path} {status}: {content}")
    assert not wrong, "\n".join(wrong)


def test_only_the_error_body_has_the_shape_of_an_error(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    shaped = sorted(name for name, schema in schemas.items() if "error" in schema.get("properties", {}))
    assert shaped == ["ErrorBody"]
    assert schemas["ErrorBody"]["required"] == ["error"]
    assert schemas["ErrorBody"]["properties"]["error"] == {"$ref": "#/components/schemas/ErrorInfo"}


def test_every_error_status_has_a_bilingual_description(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if status >= "400":
                assert CHINESE.search(response["description"]), (method, path, status, response["description"])


# -- the framework's own errors -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    message = body["error"]["message"]
    assert CHINESE.search(message) and re.search(r"\([a-z]", message), message  # 中文 (english)
    for detail in body["error"].get("details") or ():
        assert CHINESE.search(detail["problem"]), detail
    return body


def test_unknown_path_and_method(api: Api) -> None:
    assert_error(api.get("zhang.wei", "/api/nowhere"), 404, "not_found")
    assert_error(api.get(None, "/nowhere"), 404, "not_found")
    assert_error(api.request("DELETE", "zhang.wei", "/api/session/me"), 405, "method_not_allowed")


def test_unparsable_and_invalid_bodies(api: Api) -> None:
    body = assert_error(api.post(None, "/api/session/login", content=b'{"user_id": ',
                                 headers={"content-type": "application/json"}), 422, "invalid_input")
    assert body["error"]["details"] == [{"field": "", "problem": "不是有效的 JSON (not valid JSON): JSON decode error"}]
    assert_error(api.post(None, "/api/session/login", json={"user_id": "x"}), 422, "invalid_input")
    assert_error(api.post(None, "/api/session/login", json=[1, 2]), 422, "invalid_input")
    assert_error(api.post(None, "/api/session/login", content=b"user_id=x&password=y",
                          headers={"content-type": "application/x-www-form-urlencoded"}), 422, "invalid_input")
    assert_error(api.get("chen.hq", "/api/hq/dashboard", params={"after_ledgers": "soon"}), 422, "invalid_input")


def test_authentication_errors(api: Api) -> None:
    assert_error(api.get(None, "/api/session/me"), 401, "unauthenticated")
    assert_error(api.get(None, "/api/session/me", headers={"Authorization": "Bearer nonsense"}), 401,
                 "invalid_token")
    assert_error(api.post(None, "/api/session/login", json={"user_id": "zhang.wei", "password": "wrong"}), 401,
                 "bad_credentials")


def test_framework_http_errors_are_bilingual() -> None:
    from gateway.errors import bilingual

    assert bilingual(400, "Did not find boundary character 45 at index 2") == \
        "请求无法解析 (malformed request): Did not find boundary character 45 at index 2"
    assert bilingual(413, "Content Too Large") == "请求体过大 (request body too large)"
    assert bilingual(404, "Not Found") == "记录不存在 (not found)"
    assert bilingual(409, "已撤销 (withdrawn)") == "已撤销 (withdrawn)"
    assert bilingual(418, "") == "请求失败 (request failed)"


def test_errors_raised_inside_a_route() -> None:
    """An operation model refusing a path parameter is the caller's mistake (422); anything unexpected is a 500
    that tells nothing of the code."""
    from fastapi import File, UploadFile
    from fastapi.testclient import TestClient
    from pydantic import BaseModel, Field

    class Operation(BaseModel):
        record_id: str = Field(max_length=3)

    app = create_app()

    @app.get("/probe/invalid/{record_id}")
    def invalid(record_id: str) -> None:
        Operation(record_id=record_id)

    @app.post("/probe/upload")
    def upload(file: UploadFile = File()) -> None:  # noqa: B008
        pass

    @app.get("/probe/broken")
    def broken() -> None:
        raise RuntimeError("secret internals at /srv/paizhu/app.py line 42")

    with TestClient(app, raise_server_exceptions=False) as client:
        body = assert_error(client.get("/probe/invalid/toolong"), 422, "invalid_input")
        assert body["error"]["details"][0]["field"] == "record_id"
        body = assert_error(client.post("/probe/upload", content=b"garbage",
                                        headers={"content-type": "multipart/form-data"}), 400, "bad_request")
        assert body["error"]["message"].startswith("请求无法解析 (malformed request): ")
        answer = client.get("/probe/broken")
        assert_error(answer, 500, "internal_error")
        assert "secret" not in answer.text and "Traceback" not in answer.text
