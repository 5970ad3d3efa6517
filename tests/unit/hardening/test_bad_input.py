"""No 5xx on bad input: each input that once answered 500 is refused with a 4xx and a bilingual message, and
the Excel export still works afterwards. The import checks each row with the API's own model."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.ledgers.test_spreadsheet_import import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAR = "9999-12-31"
DIRECTIVE: dict[str, Any] = {
    "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中办发〔2025〕8号",
    "issuer": "中共中央办公厅", "title": "关于加强长江经济带生态环境保护的重要指示", "issued_on": "2025-02-20",
    "received_on": "2025-02-24", "lead_department": "水生态环境司",
}
ROW = ["环办〔2025〕11号", "中共中央办公厅", "关于加强核安全监管的重要批示", "2025-01-02", "2025-01-06", "核电安全监管司",
       None, "是"]
BILINGUAL = re.compile(r"[\u4e00-\u9fff].*\(.*[A-Za-z].*\)")


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        response = api.post("zhang.wei", "/api/units/units", json={
            "group_id": "group-mee", "unit_id": "unit-mee", "name": "生态环境部", "party_group_name": "部党组"})
        assert response.status_code == 201, response.text
        response = api.post("zhang.wei", "/api/units/units/unit-mee/departments",
                            json={"department_id": "dqs", "name": "大气环境司", "kind": "bureau"})
        assert response.status_code == 201, response.text
        yield api


def refused(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text[:500]}"
    error: dict[str, Any] = response.json()["error"]
    assert BILINGUAL.search(error["message"]), error
    return error


def export_works(api: Api, directive_id: str | None = None) -> None:
    for path in ["/api/ledgers/exports/master-ledger.xlsx",
                 *([f"/api/ledgers/directives/{directive_id}/lists.xlsx"] if directive_id else [])]:
        response = api.get("zhang.wei", path)
        assert response.status_code == 200, response.text[:500]
        assert response.headers["content-type"] == XLSX


def directive(api: Api, **changes: Any) -> Any:
    body = DIRECTIVE | {"reference_number": f"环办〔2025〕{uuid.uuid4().int % 10**9}号"} | changes
    return api.post("zhang.wei", "/api/ledgers/directives", json=body)


def new_directive(api: Api) -> str:
    response = directive(api, title="正常标题")
    assert response.status_code == 201, response.text
    return str(response.json()["directive_id"])


def upload(api: Api, rows: list[list[Any]], path: str = "imports") -> Any:
    content = base64.b64decode(workbook(rows))
    return api.post("zhang.wei", f"/api/ledgers/{path}", data={"group_id": "group-mee", "unit_id": "unit-mee"},
                    files={"file": ("总账.xlsx", content, XLSX)})


def test_a_directive_received_on_9999_12_31_is_refused(api: Api) -> None:
    refused(directive(api, received_on=FAR))
    export_works(api)


def test_a_directive_issued_near_9999_12_31_is_refused(api: Api) -> None:
    refused(directive(api, issued_on="9999-12-30", received_on=FAR))
    export_works(api)


def test_an_item_deadline_counted_from_9999_12_31_is_refused(api: Api) -> None:
    directive_id = new_directive(api)
    item = {"list_kind": "problem", "title": "整改", "owner": "固体废物与化学品司", "follower": "zhou.min",
            "problem_type": "perfunctory", "deadline": {"basis": "working", "count": 10, "from_date": FAR}}
    refused(api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/items", json=item))
    refused(api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/items", json=item | {"deadline": FAR}))
    export_works(api, directive_id)


def test_a_stage_deadline_on_9999_12_31_is_refused(api: Api) -> None:
    directive_id = new_directive(api)
    for deadline in (FAR, {"basis": "calendar", "count": 3650, "from_date": "9999-12-30"}):
        response = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stage-deadlines",
                            json={"stage": "relay_study", "deadline": deadline})
        refused(response)
    export_works(api, directive_id)


def test_a_unit_request_due_on_9999_12_31_is_refused(api: Api) -> None:
    body = {"kind": "document_request", "title": "调阅资料", "body": "请提供会议纪要", "counterpart_id": "dqs",
            "deadline": FAR}
    refused(api.post("wang.qiang", "/api/units/units/unit-mee/requests", json=body))
    export_works(api)


def test_a_clue_received_on_9999_12_31_is_refused(api: Api) -> None:
    body = {"unit_id": "unit-mee", "source": "petition", "subject_name": "王某某", "subject_unit": "某司",
            "subject_post": "副司长", "key_person": False, "categories": ["integrity"], "summary": "反映问题",
            "assigned": ["zhou.min"], "received_on": FAR}
    refused(api.post("zhang.wei", "/api/clues/clues", json=body))


def test_a_category_with_a_stage_limit_of_10_to_the_30_is_refused(api: Api) -> None:
    body = {"code": "huge", "name": "超大期限", "stage_limits": {"relay_study": {"basis": "working", "count": 10**30}}}
    refused(api.post("li.na", "/api/ledgers/groups/group-mee/categories", json=body))
    # registering in a category still works: nothing was recorded by the refused configuration
    response = directive(api, category="huge")
    assert response.status_code in (404, 409, 422), response.text
    export_works(api)


def test_a_title_with_u0000_is_refused_and_the_export_still_works(api: Api) -> None:
    refused(directive(api, title="标题\u0000注入"))
    directive_id = new_directive(api)
    item = {"list_kind": "problem", "title": "整改\u0000", "owner": "司", "follower": "zhou.min",
            "problem_type": "perfunctory", "deadline": "2025-06-30"}
    refused(api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/items", json=item))
    export_works(api, directive_id)


def test_an_import_row_received_on_9999_12_31_is_skipped_not_a_500(api: Api) -> None:
    rows = [[*ROW[:4], FAR, *ROW[5:]]]
    preview = upload(api, rows, "imports/preview")
    assert preview.status_code == 200, preview.text[:500]
    [row] = preview.json()["rows"]
    assert not row["valid"] and row["errors"][0]["field"] == "received_on"
    assert BILINGUAL.search(row["errors"][0]["message"])
    refused(upload(api, rows))  # nothing_to_import
    good = [ROW[0].replace("11", "21"), *ROW[1:]]
    confirmed = upload(api, [*rows, good])
    assert confirmed.status_code == 201, confirmed.text[:500]
    assert len(confirmed.json()["imported"]) == 1 and len(confirmed.json()["skipped"]) == 1
    export_works(api)


def test_an_import_row_with_a_30000_character_title_is_skipped_like_the_api_refuses_it(api: Api) -> None:
    title = "长" * 30_000
    refused(directive(api, title=title))
    rows = [[ROW[0].replace("11", "12"), ROW[1], title, *ROW[3:]], [ROW[0].replace("11", "22"), *ROW[1:]]]
    confirmed = upload(api, rows)
    assert confirmed.status_code == 201, confirmed.text[:500]
    assert [r["row"] for r in confirmed.json()["imported"]] == [3]
    [skipped] = confirmed.json()["skipped"]
    assert skipped["errors"] == ["invalid_field"]
    export_works(api)
