"""Constructing the service applications from settings (embedded SQLite or distributed PostgreSQL)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from events.topics import SERVICES
from paizhu.keys import Keys
from paizhu.settings import Settings

if TYPE_CHECKING:  # the applications are imported when one is built: the store tools start without them
    from services.common.application import ServiceApplication
    from services.common.clock import Clock


def app_class(service: str) -> type[ServiceApplication]:
    from services.common.application import ServiceApplication

    module = importlib.import_module(f"services.{service}.application")
    for _, candidate in inspect.getmembers(module, inspect.isclass):
        if issubclass(candidate, ServiceApplication) and candidate.name == service:
            return candidate
    raise LookupError(f"no application class for service {service!r}")


def available_services() -> list[str]:
    found = []
    for service in SERVICES:
        try:
            app_class(service)
        except (ModuleNotFoundError, LookupError):
            continue
        found.append(service)
    return found


def ensure_pg_schema(settings: Settings, schema: str) -> None:
    import psycopg

    from projections.common.db import PG_CONNECTION_TIMEOUTS

    with psycopg.connect(settings.pg_dsn(), autocommit=True, **PG_CONNECTION_TIMEOUTS) as connection:
        exists = connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
        if not exists:  # CREATE needs a right on the database that a per-process role may lack
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def service_env(settings: Settings, keys: Keys, service: str, in_memory: bool = False) -> dict[str, str]:
    from projections.common.db import POOL_TIMEOUT

    env: dict[str, str] = {}
    if in_memory:
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
    elif settings.mode == "embedded":
        stores = settings.data_dir / "stores"
        stores.mkdir(parents=True, exist_ok=True)
        env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        env["SQLITE_DBNAME"] = str((stores / f"{service}.db").resolve())
        env["SQLITE_LOCK_TIMEOUT"] = "10"
    else:
        ensure_pg_schema(settings, service)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres",
            POSTGRES_DBNAME=settings.pg_dbname,
            POSTGRES_HOST=settings.pg_host,
            POSTGRES_PORT=str(settings.pg_port),
            POSTGRES_USER=settings.pg_user,
            POSTGRES_PASSWORD=settings.pg_password.get_secret_value(),
            POSTGRES_SCHEMA=service,
            POSTGRES_POOL_SIZE="5",
            POSTGRES_PRE_PING="y",  # a connection left stale by a database restart or cut is replaced
            POSTGRES_CONNECT_TIMEOUT=str(int(POOL_TIMEOUT)),  # the library's name for the wait for a pooled one
        )
    # Keys only where they are used: a store's cipher key only to its own service; the sealing private key
    # only to the clues service; the public one to whoever was given it (a process holds only what it uses).
    if service in keys.cipher:
        env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
        env["CIPHER_KEY"] = keys.cipher[service]
    if keys.clues_sealing_public:
        env["CLUES_SEALING_PUBLIC_KEY"] = keys.clues_sealing_public
    if service == "clues" and keys.clues_sealing_private:
        env["CLUES_SEALING_PRIVATE_KEY"] = keys.clues_sealing_private
    if service == "units" and not in_memory:
        env["UNITS_BLOB_DIR"] = str((settings.data_dir / "blobs").resolve())
    return env


@contextmanager
def pg_setup_lock(settings: Settings, service: str) -> Iterator[None]:
    """Held while a process creates a service's schema and tables.

    The service process and its relay start together and both create them; PostgreSQL's
    CREATE ... IF NOT EXISTS is not safe against a concurrent one (unique violation in its catalogue).
    """
    import psycopg

    from projections.common.db import PG_CONNECTION_TIMEOUTS

    with psycopg.connect(settings.pg_dsn(), autocommit=True, **PG_CONNECTION_TIMEOUTS) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"paizhu.setup.{service}",))
        yield  # closing the session releases the lock


def build_app(
    settings: Settings, keys: Keys, service: str, clock: Clock | None = None, in_memory: bool = False
) -> ServiceApplication:
    if in_memory or settings.mode == "embedded":
        return app_class(service)(env=service_env(settings, keys, service, in_memory), clock=clock)
    from runtime.retry import harden_pool

    with pg_setup_lock(settings, service):
        app = app_class(service)(env=service_env(settings, keys, service, in_memory), clock=clock)
    datastore = getattr(app.factory, "datastore", None)
    if datastore is not None:
        harden_pool(datastore.pool)  # every call bounded: a cut fails calls in seconds, they do not hang
    return app
