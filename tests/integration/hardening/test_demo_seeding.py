"""Demo seeding leaves the whole demo or nothing (issue #14: a seeding interrupted half-way stayed half-done).

A `paizhu demo` process is killed (SIGKILL, as a crash or an OOM kill does) after half the scenario; the next
start removes the half demo before opening the stores, and seeding again gives exactly the demo a seeding that
was never interrupted gives: the same events in every store, the same rows in every read model, once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from paizhu.demo.all_or_nothing import MARK, discard_interrupted_seeding, seeding

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]  # three demo seedings, on a shared machine
SERVICES = ("units", "ledgers", "clues", "inspections")

KILLED_HALF_WAY = """
import os, signal, sys
from pathlib import Path

import paizhu.demo as demo
from paizhu.platform import Platform
from paizhu.settings import Settings

synced = 0
sync = demo.Demo.sync


def sync_then_die(self):
    global synced
    sync(self)
    synced += 1
    if synced == 2:  # the roster and the ledgers are in; the clues and the inspections are not
        os.kill(os.getpid(), signal.SIGKILL)


demo.Demo.sync = sync_then_die
demo.seed_demo(Platform(Settings(mode="embedded", data_dir=Path(sys.argv[1]))))
"""


def paizhu(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    for name in [n for n in env if n.startswith("PAIZHU_")]:
        del env[name]  # the data directory given is the only one used
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout)


def events(data_dir: Path) -> dict[str, Counter[str]]:
    """Per store, how many events of each type it holds (ids and times differ between two seedings)."""
    found = {}
    for service in SERVICES:
        path = data_dir / "stores" / f"{service}.db"
        if not path.exists():
            found[service] = Counter[str]()
            continue
        with sqlite3.connect(path) as db:
            found[service] = Counter(dict(db.execute("SELECT topic, count(*) FROM stored_events GROUP BY topic")))
    return found


def read_models(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "read_models.db") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def total(counts: dict[str, Counter[str]]) -> int:
    return sum(sum(c.values()) for c in counts.values())


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo as a seeding that was never interrupted writes it."""
    data_dir = tmp_path_factory.mktemp("whole")
    seeded = paizhu("-m", "paizhu.cli", "demo", "--data-dir", str(data_dir))
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    return {"events": events(data_dir), "read_models": read_models(data_dir)}


def test_a_seeding_killed_half_way_then_restarted_gives_one_whole_demo(
    whole: dict[str, Any], tmp_path: Path
) -> None:
    killed = paizhu("-c", KILLED_HALF_WAY, str(tmp_path))
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    half = events(tmp_path)
    assert 0 < total(half) < total(whole["events"])  # really half a demo on disk
    assert half["units"] and not half["inspections"]
    assert (tmp_path / MARK).exists()

    restarted = paizhu("-m", "paizhu.cli", "demo", "--data-dir", str(tmp_path))
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    assert "已写入演示数据" in restarted.stdout
    assert events(tmp_path) == whole["events"]  # the whole demo, and nothing of the half one twice
    assert read_models(tmp_path) == whole["read_models"]
    assert not (tmp_path / MARK).exists()

    again = paizhu("-m", "paizhu.cli", "demo", "--data-dir", str(tmp_path))
    assert again.returncode == 0 and "未写入" in again.stdout  # seeded once: never a second demo
    assert events(tmp_path) == whole["events"]


def test_a_seeding_that_fails_leaves_its_mark_and_the_next_start_empties_the_directory(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "token.key").write_text("kept")
    (tmp_path / "stores").mkdir()
    (tmp_path / "stores" / "units.db").write_bytes(b"half")
    (tmp_path / "read_models.db").write_bytes(b"half")
    with pytest.raises(RuntimeError), seeding(tmp_path):
        raise RuntimeError("injected after half the commands")
    assert (tmp_path / MARK).exists()
    assert discard_interrupted_seeding(tmp_path) is True
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["keys", "keys/token.key"]
    assert discard_interrupted_seeding(tmp_path) is False  # nothing else is ever removed


def test_a_finished_seeding_leaves_no_mark_and_nothing_is_removed(tmp_path: Path) -> None:
    with seeding(tmp_path):
        (tmp_path / "stores").mkdir()
        (tmp_path / "stores" / "units.db").write_bytes(b"whole")
    assert not (tmp_path / MARK).exists()
    assert discard_interrupted_seeding(tmp_path) is False
    assert (tmp_path / "stores" / "units.db").read_bytes() == b"whole"
