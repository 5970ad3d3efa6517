"""Bodies over their limit are refused with 413 before anything parses them."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from gateway.limits import RequestLimits
from tests.api_helpers import Api, embedded_api

LIMIT = 64 * 1024
UPLOAD_LIMIT = 256 * 1024
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PAIZHU_MAX_REQUEST_BYTES", str(LIMIT))
        env.setenv("PAIZHU_MAX_UPLOAD_REQUEST_BYTES", str(UPLOAD_LIMIT))
        with embedded_api() as api:
            yield api


def too_large(response: object) -> None:
    assert response.status_code == 413, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "too_large" and "(request body too large" in error["message"]


def test_the_limits_are_settings_with_a_10_mib_default() -> None:
    assert RequestLimits().max_request_bytes == 10 * 1024 * 1024


def test_a_declared_body_over_the_limit_is_refused(api: Api) -> None:
    body = json.dumps({"user_id": "zhang.wei", "password": "x" * LIMIT})
    too_large(api.client.post("/api/session/login", content=body, headers={"content-type": "application/json"}))
    # just under the limit it reaches the route (and is refused there for what it says)
    small = json.dumps({"user_id": "zhang.wei", "password": "x" * 100})
    assert api.client.post("/api/session/login", content=small,
                           headers={"content-type": "application/json"}).status_code == 401


def test_a_streamed_body_is_refused_when_it_passes_the_limit(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"user_id": "zhang.wei", "password": "'
        for _ in range(LIMIT // 1024 + 2):
            yield b"x" * 1024
        yield b'"}'

    too_large(api.post("zhang.wei", "/api/ledgers/directives", content=chunks(),
                       headers={"content-type": "application/json"}))


def test_an_upload_has_its_own_larger_limit(api: Api) -> None:
    pdf = PDF + b"%" * (LIMIT * 2)  # over the body limit, under the upload limit
    response = api.post("zhao.unit", "/api/units/attachments", files={"file": ("报告.pdf", pdf, "application/pdf")})
    assert response.status_code == 201, response.text
    huge = PDF + b"%" * UPLOAD_LIMIT
    too_large(api.post("zhao.unit", "/api/units/attachments", files={"file": ("报告.pdf", huge, "application/pdf")}))
