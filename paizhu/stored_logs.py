"""The services' stored logs opened for reading only: by `paizhu verify`, `replay` and `evidence export`.

Nothing is created: a data directory, store, table or key that is not there is an error (StoreNotFoundError,
KeyNotFoundError), never a new empty one that would then look "intact". No service application is built unless
a row needs the slow way of decoding (its domain event), so the tools start quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from events.topics import SERVICES
from paizhu.keys import Keys, reading_keys
from paizhu.settings import Settings
from services.common.case_index import CaseIndex, recorder_rows
from services.common.verification import Partition, RowDecoder, StoredRow


class StoreNotFoundError(SystemExit):
    """The data directory or a service's store is not there."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"paizhu: 找不到存储 (stores not found):\n{lines}")


@dataclass
class StoredLog:
    """One service's stored log: its rows in position order and the decoder of their state."""

    service: str
    recorder: Any
    decoder: RowDecoder
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def rows(self, after: int = 0, page: int = 2000) -> Iterator[StoredRow]:
        return recorder_rows(self.recorder, after, page)

    def checkpoint_rows(self) -> list[StoredRow]:
        """The rows of the store's signed checkpoint stream, in position order."""
        from services.common.case_index import stream_rows
        from services.common.verification import checkpoint_log_id

        return sorted(stream_rows(self.recorder, str(checkpoint_log_id(self.service))), key=lambda row: row.id)

    def partitions(self, parts: int) -> list[Partition] | None:
        """The log split by stream into `parts` for verifying in parallel, or None (`log_partitions`)."""
        from services.common.log_partitions import log_partitions

        return log_partitions(self.recorder, parts)

    def case_index(self, use_table: bool = True) -> CaseIndex:
        """The store's correlation index, read only (the table as far as it goes, then the rows after it)."""
        from services.common.case_history import private_streams

        return CaseIndex(self.service, self.recorder, self.decoder, private_streams(self.service), use_table)

    def max_position(self) -> int:
        return int(self.recorder.max_notification_id() or 0)

    def close(self) -> None:
        for close in self._closers:
            close()


def missing_stores(settings: Settings) -> list[str]:
    if settings.mode == "embedded":
        if not settings.data_dir.is_dir():
            return [f"{settings.data_dir}: 数据目录不存在 (the data directory does not exist)"]
        return [f"{settings.data_dir / 'stores' / (s + '.db')}: 存储不存在 (the store does not exist)"
                for s in SERVICES if not (settings.data_dir / "stores" / f"{s}.db").is_file()]
    import psycopg

    missing = []
    with psycopg.connect(settings.pg_dsn(), autocommit=True) as connection:
        for service in SERVICES:
            table = f'"{service}".{service}_events'
            if connection.execute("SELECT to_regclass(%s)", (table,)).fetchone() == (None,):
                missing.append(f"{settings.pg_dbname}: {table} 不存在 (the store does not exist)")
    return missing


def _slow_fields(settings: Settings, keys: Keys, service: str) -> Callable[[StoredRow], dict[str, Any]]:
    """The domain way of reading a row, built on first use (it imports the service's domain model)."""
    built: list[Callable[[StoredRow], dict[str, Any]]] = []

    def fields(row: StoredRow) -> dict[str, Any]:
        if not built:
            from paizhu.services import build_app
            from services.common.integrity import domain_fields

            built.append(domain_fields(build_app(settings, keys, service, in_memory=True)))
        return built[0](row)

    return fields


def open_logs(settings: Settings, services: tuple[str, ...] = SERVICES) -> tuple[dict[str, StoredLog], Keys]:
    """Every service's stored log, for reading; StoreNotFoundError / KeyNotFoundError when one is not there."""
    from eventsourcing.persistence import InfrastructureFactory
    from eventsourcing.utils import Environment

    from paizhu.services import service_env

    missing = missing_stores(settings)
    if missing:
        raise StoreNotFoundError(missing)
    keys = reading_keys(settings)
    logs: dict[str, StoredLog] = {}
    for service in services:
        env = Environment(service, {**service_env(settings, keys, service), "CREATE_TABLE": "no"})
        factory: Any = InfrastructureFactory.construct(env)
        decoder = RowDecoder(factory.cipher(), factory.compressor(), _slow_fields(settings, keys, service))
        logs[service] = StoredLog(service, factory.application_recorder(), decoder, [factory.close])
    return logs, keys
