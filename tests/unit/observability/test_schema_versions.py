"""Read-model schema versions on SQLite (the PostgreSQL run is in tests/integration/observability)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from paizhu.platform import Platform
from paizhu.settings import Settings
from projections.common.db import Database, SqliteDatabase
from projections.common.projection import ProjectionSchemaChanged
from projections.hq_dashboard.projection import HqDashboard
from tests.api_helpers import embedded_api
from tests.unit.observability import schema_cases

DIRECTIVE = {
    "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "环发〔2025〕7号", "issuer": "生态环境部",
    "title": "关于加强入河排污口监督管理的通知", "issued_on": "2025-02-01", "received_on": "2025-02-02",
    "lead_department": "水生态环境司",
}


@pytest.mark.parametrize("case", schema_cases.CASES, ids=lambda c: c.__name__)
def test_schema_versions_on_sqlite(case: Callable[[Database], None]) -> None:
    case(SqliteDatabase(":memory:"))


def test_a_changed_version_rebuilds_from_the_history_on_sqlite(caplog: pytest.LogCaptureFixture) -> None:
    schema_cases.a_changed_version_rebuilds_from_the_history_to_identical_tables(SqliteDatabase(":memory:"), caplog)


def test_the_embedded_platform_rebuilds_a_changed_read_model_or_refuses_to_start(tmp_path: Path) -> None:
    with embedded_api(data_dir=tmp_path) as api:
        created = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE)
        assert created.status_code == 201, created.text
        api.sync()
        before = api.platform.runners["hq_dashboard"].projection.checksum(api.platform.read_db)
    database = sqlite3.connect(tmp_path / "read_models.db")
    with database:
        database.execute("UPDATE projection_schema SET version = 0 WHERE name = 'hq_dashboard'")
    database.close()

    refusing = Settings(mode="embedded", data_dir=tmp_path, demo=False, rebuild_changed_projections=False)
    with pytest.raises(ProjectionSchemaChanged, match=f"hq_dashboard.*database 0, in the code {HqDashboard.schema_version}"):
        Platform(refusing)

    platform = Platform(Settings(mode="embedded", data_dir=tmp_path, demo=False))
    try:
        assert platform.runners["hq_dashboard"].positions() == {}  # dropped on start
        platform.sync()
        assert platform.runners["hq_dashboard"].projection.checksum(platform.read_db) == before
    finally:
        platform.stop()
