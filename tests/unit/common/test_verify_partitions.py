"""Verifying a store in parallel parts (split by stream, one process each) reports exactly what one process does:
the same counts and the same findings, for an intact store and after each kind of tampering."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from paizhu.platform import Platform
from paizhu.settings import Settings
from paizhu.stored_logs import open_logs
from paizhu.verify import verify_log
from services.common.log_partitions import OtherStreamIdForm, bounds
from services.common.verification import in_processes
from tests.factories import acting_as

DIRECTIVES = 16
"""Enough streams that both halves of the stream ids hold some (all in one half: 2 ** -15)."""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("partitions")
    platform = Platform(Settings(mode="embedded", data_dir=data_dir))
    ledgers = platform.apps["ledgers"]
    with ledgers.acting(acting_as()):
        for n in range(DIRECTIVES):
            directive_id = ledgers.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"环发〔2025〕{n + 1}号",
                issuer="生态环境部", title=f"批示件{n + 1}", issued_on=date(2025, 1, 2),
                received_on=date(2025, 1, 3), lead_department="办公厅")["directive_id"]
            for stage in ("relay_study", "deployment", "plan"):
                ledgers.record_stage(directive_id=directive_id, stage=stage, done_on=date(2025, 1, 6),
                                     summary="已完成", done_by="部党组")
    platform.checkpoint()
    platform.stop()
    return data_dir


def _streams(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT originator_id FROM stored_events WHERE topic LIKE "
                                     "'%Directive.Registered' ORDER BY rowid")]


def _set(db: sqlite3.Connection, stream: str, version: int, topic: str, state: bytes) -> None:
    db.execute("UPDATE stored_events SET topic = ?, state = ? WHERE originator_id = ? AND originator_version = ?",
               (topic, state, stream, version))


def _row(db: sqlite3.Connection, stream: str, version: int) -> tuple[str, bytes]:
    topic, state = db.execute("SELECT topic, state FROM stored_events WHERE originator_id = ? AND "
                              "originator_version = ?", (stream, version)).fetchone()
    return topic, state


def untouched(db: sqlite3.Connection) -> None:
    pass


def altered(db: sqlite3.Connection) -> None:
    for stream in _streams(db)[:3]:
        topic, state = _row(db, stream, 1)
        _set(db, stream, 1, topic, state.replace("批示件".encode(), "改过的".encode()))


def removed(db: sqlite3.Connection) -> None:
    for stream in _streams(db)[2:6]:
        db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 2", (stream,))
    db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 4",
               (_streams(db)[7],))  # a signed head


def stream_deleted(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM stored_events WHERE originator_id = ?", (_streams(db)[5],))


def inserted(db: sqlite3.Connection) -> None:
    for stream in _streams(db)[:4]:
        topic, state = _row(db, stream, 4)
        db.execute("INSERT INTO stored_events (originator_id, originator_version, topic, state) "
                   "VALUES (?, 5, ?, ?)", (stream, topic, state))


def swapped(db: sqlite3.Connection) -> None:
    for stream in _streams(db)[3:7]:
        (ta, sa), (tb, sb) = _row(db, stream, 2), _row(db, stream, 3)
        _set(db, stream, 2, tb, sb)
        _set(db, stream, 3, ta, sa)


def checkpoint_forged(db: sqlite3.Connection) -> None:
    rowid, state = db.execute("SELECT rowid, state FROM stored_events WHERE topic LIKE '%CheckpointLog.Signed' "
                              "ORDER BY rowid DESC LIMIT 1").fetchone()
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(b'"position":', b'"position":1'),
                                                                      rowid))


@pytest.mark.parametrize("tamper", [untouched, altered, removed, stream_deleted, inserted, swapped,
                                    checkpoint_forged], ids=lambda f: f.__name__)
def test_parts_in_parallel_report_what_one_process_reports(seeded: Path, tmp_path: Path,
                                                           tamper: Callable[[sqlite3.Connection], None]) -> None:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(seeded, data_dir)
    db = sqlite3.connect(data_dir / "stores" / "ledgers.db")
    tamper(db)
    db.commit()
    db.close()
    logs, keys = open_logs(Settings(mode="embedded", data_dir=data_dir))
    try:
        log, public_key = logs["ledgers"], keys.checkpoint_public_key_b64()
        partitions = log.partitions(2)
        assert partitions is not None and len(partitions) == 2
        assert all(any(True for _ in rows()) for _, rows in partitions)  # each part has streams of its own
        one = verify_log(log, public_key, processes=1).as_dict()
        parallel = verify_log(log, public_key, processes=2, parallel_from=0).as_dict()
    finally:
        for opened in logs.values():
            opened.close()
    assert sorted(map(str, one.pop("findings"))) == sorted(map(str, parallel.pop("findings")))
    assert one == parallel
    assert one["intact"] is (tamper is untouched)


def test_a_store_with_a_stream_id_of_another_form_is_verified_by_one_process(seeded: Path, tmp_path: Path) -> None:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(seeded, data_dir)
    db = sqlite3.connect(data_dir / "stores" / "ledgers.db")
    db.execute("INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES "
               "('not-a-uuid', 1, 'x:Y.Z', X'7b7d')")
    db.commit()
    db.close()
    logs, keys = open_logs(Settings(mode="embedded", data_dir=data_dir))
    try:
        with pytest.raises(OtherStreamIdForm):
            for _, rows in logs["ledgers"].partitions(2) or []:
                list(rows())
        report = verify_log(logs["ledgers"], keys.checkpoint_public_key_b64(), processes=2, parallel_from=0)
    finally:
        for opened in logs.values():
            opened.close()
    assert [(f.kind, f.stream_id) for f in report.findings] == [("inserted", "not-a-uuid")]


def test_the_parts_cover_every_stream_id_once() -> None:
    for parts in (2, 3, 16):
        ranges = bounds(parts)
        assert ranges[0][0] == "" and ranges[-1][1] is None and len(ranges) == parts
        assert all(high == ranges[i + 1][0] for i, (_, high) in enumerate(ranges[:-1]))


def test_a_failing_part_fails_the_verification() -> None:
    def fails() -> None:
        raise ValueError("broken part")

    with pytest.raises(ValueError, match="broken part"):
        in_processes([lambda: 1, fails], meanwhile=lambda: None)
    assert in_processes([lambda: 1, lambda: 2], meanwhile=lambda: 3) == ([1, 2], 3)
