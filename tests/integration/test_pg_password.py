"""A PostgreSQL password with URI delimiters (`p@ss/w:rd#1`) reaches PostgreSQL intact: the processes connect
as the right role to the right database with it (a role this test creates and drops)."""

from __future__ import annotations

import os
import shlex
import subprocess
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from bench.support import PG_HOST, PG_PORT
from paizhu.services import ensure_pg_schema
from paizhu.settings import Settings

pytestmark = pytest.mark.integration

PASSWORD = "p@ss/w:rd#1"


def as_superuser(dbname: str, sql: str) -> None:
    """Run SQL as the `postgres` superuser: over TCP where that is allowed, else through the local socket."""
    try:
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname=dbname, autocommit=True,
                             connect_timeout=10) as connection:
            connection.execute(sql)  # type: ignore[arg-type]
            return
    except psycopg.OperationalError:
        if os.geteuid() != 0:
            raise
    psql = ["psql", "-p", str(PG_PORT), "-d", dbname, "-v", "ON_ERROR_STOP=1", "-qtAc", sql]
    subprocess.run(["su", "postgres", "-c", shlex.join(psql)], check=True, capture_output=True, timeout=60)


@pytest.fixture
def role(pg_database: str) -> Iterator[str]:
    name = f"paizhu_pw_{uuid.uuid4().hex[:10]}"
    as_superuser(pg_database, f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'")
    try:
        as_superuser(pg_database, f'GRANT CONNECT, CREATE ON DATABASE "{pg_database}" TO {name}')
        yield name
    finally:
        as_superuser(pg_database, f"DROP OWNED BY {name}")
        as_superuser(pg_database, f"DROP ROLE {name}")


def test_a_password_with_uri_delimiters_connects(role: str, pg_database: str) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, mode="distributed", pg_host=PG_HOST, pg_port=PG_PORT, pg_user=role,
        pg_password=PASSWORD, pg_dbname=pg_database,
    )
    dsn = settings.pg_dsn()
    assert psycopg.conninfo.conninfo_to_dict(dsn)["password"] == PASSWORD
    with psycopg.connect(dsn, connect_timeout=10) as connection:
        # libpq parsed the DSN to this password, user and database (the server checks the password wherever its
        # pg_hba.conf asks for one; on a trust-only test server it is the client's parse that this pins)
        assert connection.info.password == PASSWORD
        assert connection.execute("SELECT current_user, current_database()").fetchone() == (role, pg_database)
    assert settings.read_models_url() == dsn

    # the production path: a service creating its schema with these settings
    ensure_pg_schema(settings, "pw_check")
    with psycopg.connect(dsn, connect_timeout=10) as connection:
        owner = connection.execute(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'pw_check'").fetchone()
    assert owner == (role,)
