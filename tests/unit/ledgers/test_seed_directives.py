"""Issue #15: categorising is its own command; a skipped stage keeps a directive from showing completed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

from services.common.errors import InvalidInputError, NotFoundError
from services.ledgers.application import LedgersApplication
from tests.api_helpers import Api, embedded_api
from tests.factories import acting_as

from .conftest import configure_categories, register


def test_categorising_is_its_own_event_not_an_amendment(app: LedgersApplication) -> None:
    with app.acting(acting_as("li.na", "group-mee", "group_leader")):
        configure_categories(app)
    directive_id = register(app)
    result = app.categorise_directive(directive_id, "river_basins", reason="纳入细账")
    assert result["position"] > 0
    view = app.get_directive(directive_id)
    assert view["category"] == "river_basins" and view["amendments"] == 0
    assert app.directive_corrections(directive_id) == []
    kinds = [type(e).__name__ for e in app.repository.event_store.get(UUID(directive_id))]
    assert kinds[-1] == "Categorised" and "Amended" not in kinds
    with pytest.raises(InvalidInputError):
        app.categorise_directive(directive_id, "river_basins")
    with pytest.raises(NotFoundError):
        app.categorise_directive(directive_id, "no_such_category")


def test_a_skipped_stage_keeps_the_directive_in_progress(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "传达", "部党组")
    app.record_stage(directive_id, "result_evaluation", date(2025, 3, 1), "评估", "部党组",
                     skip_reason="合并推进 (done together)")
    assert app.get_directive(directive_id)["status"] == "in_progress"
    for stage in ("deployment", "plan", "execution"):
        app.record_stage(directive_id, stage, date(2025, 3, 2), "补记", "部党组")
    assert app.get_directive(directive_id)["status"] == "completed"


@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def test_categorise_over_http(api: Api) -> None:
    for code in ("river_basins",):
        assert api.post("li.na", "/api/ledgers/groups/group-mee/categories",
                        json={"code": code, "name": "长江黄河流域生态保护", "look_back_days": 120}).status_code == 201
    directive_id = api.post("zhang.wei", "/api/ledgers/directives", json={
        "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中办发〔2025〕28号",
        "issuer": "中共中央办公厅", "title": "关于长江保护的重要指示", "issued_on": "2025-02-20",
        "received_on": "2025-02-24", "lead_department": "水生态环境司"}).json()["directive_id"]
    done = api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/category",
                    json={"category": "river_basins", "reason": "纳入细账"})
    assert done.status_code == 200 and done.json()["position"] > 0
    assert api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/category",
                    json={"category": "nope"}).status_code == 404
    assert api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}").json()["category"] == "river_basins"
    assert api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}/corrections").json() == []
