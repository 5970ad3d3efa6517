"""One answer for absence in the units portal: another unit's lists and a unit that does not exist answer the same
bytes (status, code, message), and no answer echoes the id asked for."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api

GET_PATHS = ("", "/items", "/submissions", "/feedback-drafts", "/power-matters", "/departments/dqs/power-list",
             "/consultations", "/announcements", "/routing")
POST_PATHS = {
    "/inbound/progress-reports": {"title": "进展", "subject_ref": "x", "period": "2025-03", "summary": "s"},
    "/requests": {"kind": "document_request", "title": "调阅资料", "body": "请提供会议纪要", "counterpart_id": "dqs",
                  "deadline": "2025-04-30"},
}
ASKERS = ("qian.unit2", "zhao.unit", "ma.party", "zhou.other", "he.leader2", "liu.team")


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        for group, unit, name, user in (("group-mee", "unit-mee", "生态环境部", "zhang.wei"),
                                        ("group-mwr", "unit-mwr", "水利部", "zhou.other")):
            response = api.post(user, "/api/units/units", json={"group_id": group, "unit_id": unit, "name": name,
                                                                "party_group_name": "部党组"})
            assert response.status_code == 201, response.text
        response = api.post("zhang.wei", "/api/units/units/unit-mee/departments",
                            json={"department_id": "dqs", "name": "大气环境司", "kind": "bureau"})
        assert response.status_code == 201, response.text
        for path, body in POST_PATHS.items():  # unit-mee has records of each kind
            response = api.post("zhao.unit" if "inbound" in path else "wang.qiang", f"/api/units/units/unit-mee{path}",
                                json=body)
            assert response.status_code == 201, response.text
        yield api


def answer(response: Any) -> tuple[int, bytes]:
    return response.status_code, response.content


def other_unit(asker: str) -> str:
    return "unit-mwr" if asker in ("zhao.unit", "ma.party") else "unit-mee"


@pytest.mark.parametrize("asker", ASKERS)
@pytest.mark.parametrize("path", GET_PATHS)
def test_another_units_list_and_a_missing_unit_answer_the_same_bytes(api: Api, asker: str, path: str) -> None:
    missing = f"unit-{uuid.uuid4().hex[:12]}"
    existing = answer(api.get(asker, f"/api/units/units/{other_unit(asker)}{path}"))
    absent = answer(api.get(asker, f"/api/units/units/{missing}{path}"))
    assert existing == absent, (existing, absent)
    assert existing[0] in (403, 404)
    assert other_unit(asker).encode() not in existing[1] and missing.encode() not in absent[1]


@pytest.mark.parametrize("asker", ("qian.unit2", "zhou.other"))
@pytest.mark.parametrize("path", list(POST_PATHS))
def test_acting_in_another_unit_and_in_a_missing_one_answer_the_same_bytes(api: Api, asker: str, path: str) -> None:
    missing = f"unit-{uuid.uuid4().hex[:12]}"
    existing = answer(api.post(asker, f"/api/units/units/unit-mee{path}", json=POST_PATHS[path]))
    absent = answer(api.post(asker, f"/api/units/units/{missing}{path}", json=POST_PATHS[path]))
    assert existing == absent, (existing, absent)
    assert b"unit-mee" not in existing[1] and missing.encode() not in absent[1]


def test_the_units_own_lists_still_answer(api: Api) -> None:
    assert api.get("zhao.unit", "/api/units/units/unit-mee/submissions").status_code == 200
    assert api.get("zhao.unit", "/api/units/units/unit-mee/items").status_code == 200
    assert api.get("zhang.wei", "/api/units/units/unit-mee/feedback-drafts").status_code == 200
