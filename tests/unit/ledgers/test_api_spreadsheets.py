"""Spreadsheets over HTTP: group staff import into their own group's ledger; exports are guarded reads."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from gateway.ledgers.spreadsheets import MAX_IMPORT_BYTES
from tests.api_helpers import Api, embedded_api
from tests.unit.ledgers.test_spreadsheet_import import GOOD, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TARGET = {"group_id": "group-mee", "unit_id": "unit-mee"}
ROWS = [[*row[:6], None, row[7]] for row in GOOD]  # no categories configured in this platform


@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def upload(api: Api, user: str, path: str, content: bytes, data: dict[str, str] | None = None,
           filename: str = "总账.xlsx") -> Any:
    return api.post(user, f"/api/ledgers/{path}", data=data or TARGET,
                    files={"file": (filename, content, XLSX)})


def test_group_staff_preview_then_import_once(api: Api) -> None:
    content = base64.b64decode(workbook(ROWS))
    shown = upload(api, "zhang.wei", "imports/preview", content)
    assert shown.status_code == 200, shown.text
    assert shown.json()["valid"] == 3
    api.sync()
    assert api.get("zhang.wei", "/api/ledgers/directives").json()["items"] == []

    first = upload(api, "zhang.wei", "imports", content)
    assert first.status_code == 201, first.text
    assert len(first.json()["imported"]) == 3
    again = upload(api, "zhou.min", "imports", content, filename="副本.xlsx")
    assert again.status_code == 200 and again.json()["already_imported"] is True
    api.sync()
    assert len(api.get("zhang.wei", "/api/ledgers/directives").json()["items"]) == 3

    batches = api.get("chen.hq", "/api/ledgers/imports").json()["items"]
    assert [b["import_id"] for b in batches] == [first.json()["import_id"]]
    assert batches[0]["skipped_rows"] == [] and len(batches[0]["imported"]) == 3
    assert api.get("zhou.other", f"/api/ledgers/imports/{first.json()['import_id']}").status_code == 404
    assert api.get("zhou.other", "/api/ledgers/imports").json()["items"] == []


def test_row_errors_come_back_in_the_preview(api: Api) -> None:
    bad = [[*ROWS[0][:3], "2025-02-30", *ROWS[0][4:]]]
    shown = upload(api, "zhang.wei", "imports/preview", base64.b64decode(workbook(bad))).json()
    assert shown["invalid"] == 1 and shown["rows"][0]["errors"][0]["code"] == "bad_date"


def test_another_groups_staff_and_the_unit_are_refused(api: Api) -> None:
    content = base64.b64decode(workbook(ROWS))
    assert upload(api, "zhou.other", "imports", content).status_code == 403
    # staff of another group cannot file it under their own group into a unit they are not resident in
    other = upload(api, "zhou.other", "imports", content, data={"group_id": "group-mwr", "unit_id": "unit-mee"})
    assert other.status_code == 403
    assert upload(api, "zhao.unit", "imports/preview", content).status_code == 403
    assert upload(api, "chen.hq", "imports", content).status_code == 403
    api.sync()
    assert api.get("zhang.wei", "/api/ledgers/directives").json()["items"] == []


def test_too_large_and_wrong_kind_of_file_are_clear_errors(api: Api) -> None:
    large = upload(api, "zhang.wei", "imports/preview", b"0" * (MAX_IMPORT_BYTES + 1))
    assert large.status_code == 413 and large.json()["error"]["code"] == "too_large"
    assert "5MB" in large.json()["error"]["message"]
    wrong = upload(api, "zhang.wei", "imports/preview", b"a,b", filename="ledger.csv")
    assert wrong.status_code == 422
    broken = upload(api, "zhang.wei", "imports/preview", b"not a workbook")
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "bad_workbook"
    missing = api.post("zhang.wei", "/api/ledgers/imports/preview", data=TARGET)
    assert missing.status_code == 422


def _sheet(response: Any, title: str) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment;")
    return list(load_workbook(io.BytesIO(response.content))[title].iter_rows(values_only=True))


def test_exports_download_for_group_and_hq_not_for_others(api: Api) -> None:
    upload(api, "zhang.wei", "imports", base64.b64decode(workbook(ROWS)))
    rows = _sheet(api.get("zhang.wei", "/api/ledgers/exports/master-ledger.xlsx"), "总账")
    assert rows[0][1] == "文号" and [r[1] for r in rows[1:]] == [r[0] for r in ROWS]
    assert len(_sheet(api.get("chen.hq", "/api/ledgers/exports/master-ledger.xlsx"), "总账")) == 4
    assert len(_sheet(api.get("zhou.other", "/api/ledgers/exports/master-ledger.xlsx"), "总账")) == 1
    assert api.get("zhao.unit", "/api/ledgers/exports/master-ledger.xlsx").status_code == 403
    detail = api.get("zhang.wei", "/api/ledgers/exports/detail-ledger.xlsx", params={"category": "none"})
    assert len(_sheet(detail, "细账")) == 1

    api.sync()
    directive_id = api.get("zhang.wei", "/api/ledgers/directives").json()["items"][0]["directive_id"]
    item = {"list_kind": "task", "title": "专项整治", "owner": "水生态环境司", "follower": "zhou.min"}
    assert api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/items", json=item).status_code == 201
    lists = _sheet(api.get("chen.hq", f"/api/ledgers/directives/{directive_id}/lists.xlsx"), "四单合一")
    assert [(r[1], r[2]) for r in lists[1:]] == [("任务清单", "专项整治")]
    assert api.get("zhou.other", f"/api/ledgers/directives/{directive_id}/lists.xlsx").status_code == 404
    assert api.get("zhao.unit", f"/api/ledgers/directives/{directive_id}/lists.xlsx").status_code == 404


def test_the_template_downloads_for_group_staff(api: Api) -> None:
    rows = _sheet(api.get("zhang.wei", "/api/ledgers/imports/template.xlsx"), "总账导入")
    assert rows[0] == ("文号", "印发机关", "标题", "印发日期", "收文日期", "牵头部门", "细账类别", "是否与职责密切相关")
