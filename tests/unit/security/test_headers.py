"""Security headers on every gateway response, the documentation pages that still work, and safe downloads."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from gateway.security import content_disposition
from tests.api_helpers import Api, embedded_api


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        def boom() -> None:
            raise RuntimeError("an unexpected fault")

        api.client.app.add_api_route("/api/test-only/boom", boom)  # type: ignore[attr-defined]
        yield api


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def assert_secured(response: Any, where: str) -> dict[str, str]:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", where
    assert headers["x-frame-options"] == "DENY", where
    assert headers["referrer-policy"] == "no-referrer", where
    policy = directives(headers["content-security-policy"])
    assert policy["default-src"] in ("default-src 'self'", "default-src 'none'"), where
    assert "'unsafe-inline'" not in policy.get("script-src", "") and "'unsafe-eval'" not in str(policy), where
    return policy


@pytest.mark.parametrize(("user", "method", "path", "status"), [
    (None, "GET", "/healthz", 200),
    (None, "GET", "/readyz", 200),
    (None, "GET", "/api/hq/dashboard", 401),
    ("chen.hq", "GET", "/api/hq/dashboard", 200),
    ("zhang.wei", "GET", "/api/units/submissions/00000000-0000-0000-0000-000000000000", 404),
    ("zhang.wei", "POST", "/api/ledgers/directives", 422),
    (None, "GET", "/no/such/path", 404),
    (None, "GET", "/openapi.json", 200),
    (None, "GET", "/api/test-only/boom", 500),
])
def test_every_response_carries_the_security_headers(api: Api, user: str | None, method: str, path: str,
                                                     status: int) -> None:
    response = api.request(method, user, path, json={} if method == "POST" else None)
    assert response.status_code == status, response.text
    policy = assert_secured(response, path)
    assert policy["default-src"] == "default-src 'self'" and "script-src" not in policy  # no script at all
    assert response.headers["cache-control"] == "no-store"


def test_the_swagger_page_runs_from_the_gateways_own_files_without_inline_script(api: Api) -> None:
    page = api.get(None, "/docs")
    assert page.status_code == 200
    policy = assert_secured(page, "/docs")
    assert policy["script-src"] == "script-src 'self'"
    assert b"<script>" not in page.content  # started by /static/js/docs.js, not by an inline script
    assert b"https://" not in page.content  # nothing from a CDN: it works without internet
    for source in re.findall(rb'(?:src|href)="([^"]+)"', page.content):
        assert source.startswith(b"/static/"), source
        assert api.get(None, source.decode()).status_code == 200, source
    assert "connect-src 'self'" in policy["connect-src"]  # it fetches /openapi.json


def test_there_is_no_redoc_page_that_would_need_a_cdn(api: Api) -> None:
    assert api.get(None, "/redoc").status_code == 404


# -- attachment downloads ----------------------------------------------------------------------------------
HTML = b"<html><script>alert(document.cookie)</script></html>\n"


@pytest.fixture(scope="module")
def attachment(api: Api) -> str:
    response = api.post("zhang.wei", "/api/units/units", json={"group_id": "group-mee", "unit_id": "unit-mee",
                                                               "name": "生态环境部", "party_group_name": "部党组"})
    assert response.status_code == 201, response.text
    digest = hashlib.sha256(HTML).hexdigest()
    upload = api.post("zhao.unit", "/api/units/attachments", files={"file": ("说明.html", HTML, "text/html")})
    assert upload.status_code == 201, upload.text
    body = {"title": "突发情况", "category": "突发事件", "summary": "情况", "occurred_on": "2025-03-01",
            "attachments": [{"sha256": digest, "filename": '情况"说明; filename=evil.html'}]}
    submitted = api.post("zhao.unit", "/api/units/units/unit-mee/inbound/situation-notices", json=body)
    assert submitted.status_code == 201, submitted.text
    return f"/api/units/submissions/{submitted.json()['submission_id']}/attachments/{digest}"


def test_an_attachment_is_a_download_that_is_never_sniffed_or_run(api: Api, attachment: str) -> None:
    download = api.get("zhang.wei", attachment)
    assert download.status_code == 200 and download.content == HTML
    headers = download.headers
    assert headers["content-type"] == "text/plain; charset=utf-8"  # detected as text, never served as HTML
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert headers["cache-control"] == "no-store"
    disposition = headers["content-disposition"]
    # nothing the uploader named can add a parameter or close the quotes: exactly these two, each plain
    parsed = re.fullmatch(r"attachment; filename=\"([A-Za-z0-9._-]+)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)",
                          disposition)
    assert parsed, disposition
    assert parsed[1] == "filename_evil.html"
    assert unquote(parsed[2]) == "情况说明 filename=evil.html"


@pytest.mark.parametrize(("name", "fallback"), [
    ("报告.pdf", "attachment.pdf"),
    ("../../etc/passwd", "passwd"),
    ("a\r\nSet-Cookie: x=1.txt", "aSet-Cookie_x_1.txt"),
    ('"quoted".docx', "quoted.docx"),
])
def test_a_content_disposition_is_safe_for_any_name(name: str, fallback: str) -> None:
    value = content_disposition(name)
    assert "\r" not in value and "\n" not in value and value.count('"') == 2
    assert f'filename="{fallback}"' in value
