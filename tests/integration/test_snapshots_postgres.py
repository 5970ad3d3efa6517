"""Snapshots in the distributed stores: a long history on PostgreSQL is loaded from its latest snapshot."""

from __future__ import annotations

from bench.support import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER
from tests.unit.common.test_snapshots import check_loading_reads_a_snapshot


def test_loading_a_long_history_reads_its_snapshot_in_postgresql(pg_database: str) -> None:
    check_loading_reads_a_snapshot({
        "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": pg_database, "POSTGRES_HOST": PG_HOST,
        "POSTGRES_PORT": str(PG_PORT), "POSTGRES_USER": PG_USER, "POSTGRES_PASSWORD": PG_PASSWORD,
        "POSTGRES_POOL_SIZE": "2",
    })
