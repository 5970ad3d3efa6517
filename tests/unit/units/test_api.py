from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        for group, unit, name, party, user in (
            ("group-mee", "unit-mee", "生态环境部", "部党组", "zhang.wei"),
            ("group-mwr", "unit-mwr", "水利部", "部党组", "zhou.other"),
        ):
            response = api.post(user, "/api/units/units", json={"group_id": group, "unit_id": unit, "name": name,
                                                                 "party_group_name": party})
            assert response.status_code == 201, response.text
        response = api.post("zhang.wei", "/api/units/units/unit-mee/departments",
                            json={"department_id": "dqs", "name": "大气环境司", "kind": "bureau"})
        assert response.status_code == 201, response.text
        yield api


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def document_request(api: Api) -> str:
    body = {"kind": "document_request", "title": "调阅资料", "body": "请提供会议纪要", "counterpart_id": "dqs",
            "deadline": "2025-04-30"}
    return str(ok(api.post("wang.qiang", "/api/units/units/unit-mee/requests", json=body), 201)["item_id"])


def test_liaison_of_another_unit_cannot_read_or_act_on_an_item(api: Api) -> None:
    item_id = document_request(api)
    assert api.get("qian.unit2", f"/api/units/items/{item_id}").status_code == 404
    assert api.post("qian.unit2", f"/api/units/items/{item_id}/acknowledge").status_code == 404
    reply = {"title": "资料", "summary": "已报送"}
    assert api.post("qian.unit2", f"/api/units/items/{item_id}/reply", json=reply).status_code == 404
    assert api.get("qian.unit2", "/api/units/units/unit-mee/items").status_code == 404
    assert api.get("qian.unit2", "/api/units/units/unit-mee").status_code == 404
    # its own unit's liaison can
    assert ok(api.get("zhao.unit", f"/api/units/items/{item_id}"))["title"] == "调阅资料"
    ok(api.post("zhao.unit", f"/api/units/items/{item_id}/acknowledge"))
    assert ok(api.get("chen.hq", f"/api/units/items/{item_id}"))["status"] == "acknowledged"  # HQ reads


def test_liaison_cannot_submit_for_another_unit(api: Api) -> None:
    body = {"title": "进展", "subject_ref": "x", "period": "2025-03", "summary": "s"}
    response = api.post("qian.unit2", "/api/units/units/unit-mee/inbound/progress-reports", json=body)
    assert response.status_code in (403, 404)
    assert ok(api.post("zhao.unit", "/api/units/units/unit-mee/inbound/progress-reports", json=body), 201)[
        "receipt"]["number"].startswith("JZ-")
    assert api.get("qian.unit2", "/api/units/units/unit-mee/submissions").status_code == 404
    # the group of another unit cannot see it either
    assert api.get("zhou.other", "/api/units/units/unit-mee/submissions").status_code == 404


def test_unit_never_sees_group_internal_deliberation_or_power_records(api: Api) -> None:
    body = {"title": "反馈意见", "body": "意见正文", "counterpart_id": "party-group", "deadline": "2025-05-30",
            "important": True}
    draft_id = ok(api.post("zhang.wei", "/api/units/units/unit-mee/feedback-drafts", json=body), 201)["draft_id"]
    assert api.get("zhao.unit", f"/api/units/feedback-drafts/{draft_id}").status_code == 404
    assert api.get("chen.hq", f"/api/units/feedback-drafts/{draft_id}").status_code == 404
    assert api.post("zhao.unit", f"/api/units/feedback-drafts/{draft_id}/opinions",
                    json={"stance": "agree"}).status_code == 404
    assert api.get("zhao.unit", "/api/units/units/unit-mee/power-matters").status_code == 404
    assert api.get("zhao.unit", "/api/units/units/unit-mee/routing").status_code == 404


def test_routing_matrix_refusal_reaches_the_caller_as_a_clear_error(api: Api) -> None:
    body = {"kind": "document_request", "title": "调阅", "body": "资料", "counterpart_id": "party-group",
            "deadline": "2025-04-30"}
    response = api.post("zhang.wei", "/api/units/units/unit-mee/requests", json=body)
    assert response.status_code == 409, response.text
    assert "wrong_counterpart" in response.text


def test_upload_then_cite_and_download_an_attachment(api: Api) -> None:
    digest = hashlib.sha256(PDF).hexdigest()
    bad = api.post("zhao.unit", "/api/units/attachments", files={"file": ("报告.pdf", PDF, "application/pdf")},
                   data={"declared_sha256": "0" * 64})
    assert bad.status_code == 422 and "attachment_hash_mismatch" in bad.text
    exe = api.post("zhao.unit", "/api/units/attachments", files={"file": ("报告.pdf", b"MZ\x90\x00\xff", "x")})
    assert exe.status_code == 422 and "attachment_type_not_allowed" in exe.text
    meta = ok(api.post("zhao.unit", "/api/units/attachments", files={"file": ("报告.pdf", PDF, "application/pdf")},
                       data={"declared_sha256": digest}), 201)
    assert meta["sha256"] == digest and meta["media_type"] == "application/pdf"
    body = {"title": "突发情况", "category": "突发事件", "summary": "情况", "occurred_on": "2025-03-01",
            "attachments": [{"sha256": digest, "filename": "报告.pdf"}]}
    submission = ok(api.post("zhao.unit", "/api/units/units/unit-mee/inbound/situation-notices", json=body), 201)
    path = f"/api/units/submissions/{submission['submission_id']}/attachments/{digest}"
    download = api.get("zhang.wei", path)
    assert download.status_code == 200 and download.content == PDF
    assert api.get("qian.unit2", path).status_code == 404
