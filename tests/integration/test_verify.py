"""`paizhu verify` names exactly which stored event was altered, removed, inserted or reordered."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from paizhu.platform import Platform
from paizhu.settings import Settings
from tests.factories import acting_as

STAGES = ("relay_study", "deployment", "plan")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Three directives with three stages each, in embedded SQLite stores, with a signed checkpoint."""
    platform = Platform(Settings(mode="embedded", data_dir=tmp_path))
    ledgers = platform.apps["ledgers"]
    with ledgers.acting(acting_as()):
        for n in range(3):
            directive_id = ledgers.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"环发〔2025〕{n + 1}号",
                issuer="生态环境部", title=f"批示件{n + 1}", issued_on=date(2025, 1, 2),
                received_on=date(2025, 1, 3), lead_department="办公厅")["directive_id"]
            for stage in STAGES:
                ledgers.record_stage(directive_id=directive_id, stage=stage, done_on=date(2025, 1, 6),
                                     summary="已完成", done_by="部党组")
    platform.checkpoint()
    platform.stop()
    return tmp_path


def verify(data_dir: Path) -> tuple[int, dict]:
    env = {**os.environ, "PAIZHU_DATA_DIR": str(data_dir), "PAIZHU_MODE": "embedded"}
    result = subprocess.run([sys.executable, "-m", "paizhu.cli", "verify", "--json"], env=env,
                            capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def findings(report: dict) -> list[tuple[str, str, int | None]]:
    return sorted((f["kind"], f["stream_id"], f["version"]) for s in report["stores"] for f in s["findings"])


def directive_streams(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT originator_id FROM stored_events WHERE topic LIKE '%Directive.Registered' "
                      "ORDER BY rowid").fetchall()
    return [r[0] for r in rows]


def norm(stream_id: str) -> str:
    return str(uuid.UUID(stream_id))


def test_an_untouched_history_is_intact(data_dir: Path) -> None:
    code, report = verify(data_dir)
    assert code == 0 and report["intact"] is True
    ledgers = next(s for s in report["stores"] if s["service"] == "ledgers")
    assert ledgers["checkpoints"] == 1 and ledgers["unsigned_events"] == 0 and ledgers["events"] > 12


def test_altered_removed_inserted_and_reordered_events_are_each_named(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / "stores" / "ledgers.db")
    first, second, third = directive_streams(db)
    # altered: the title of directive 1 rewritten in place
    state = db.execute("SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = 1",
                       (first,)).fetchone()[0]
    db.execute("UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = 1",
               (state.replace("批示件1".encode(), "批示件9".encode()), first))
    # removed: a stage of directive 2 deleted from the middle of its stream
    versions = [v for (v,) in db.execute(
        "SELECT originator_version FROM stored_events WHERE originator_id = ? ORDER BY originator_version",
        (second,))]
    removed_version = versions[len(versions) // 2]
    db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?",
               (second, removed_version))
    # reordered: two events of directive 3 swapped
    rows = db.execute("SELECT originator_version, topic, state FROM stored_events WHERE originator_id = ? "
                      "ORDER BY originator_version", (third,)).fetchall()
    (va, ta, sa), (vb, tb, sb) = rows[-2], rows[-1]
    db.execute("UPDATE stored_events SET topic = ?, state = ? WHERE originator_id = ? AND originator_version = ?",
               (tb, sb, third, va))
    db.execute("UPDATE stored_events SET topic = ?, state = ? WHERE originator_id = ? AND originator_version = ?",
               (ta, sa, third, vb))
    # inserted: a copy of an event appended to directive 1 as a new version
    last_version, topic, state = db.execute(
        "SELECT originator_version, topic, state FROM stored_events WHERE originator_id = ? "
        "ORDER BY originator_version DESC LIMIT 1", (first,)).fetchone()
    db.execute("INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
               (first, last_version + 1, topic, state))
    db.commit()
    db.close()

    code, report = verify(data_dir)
    assert code == 1 and report["intact"] is False
    named = findings(report)
    assert ("altered", norm(first), 1) in named
    assert ("removed", norm(second), removed_version) in named
    assert ("reordered", norm(third), va) in named and ("reordered", norm(third), vb) in named
    assert ("inserted", norm(first), last_version + 1) in named


def test_a_deleted_stream_tail_is_caught_by_the_signed_checkpoint(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / "stores" / "ledgers.db")
    _, second, _ = directive_streams(db)
    top = db.execute("SELECT MAX(originator_version) FROM stored_events WHERE originator_id = ?",
                     (second,)).fetchone()[0]
    db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?", (second, top))
    db.commit()
    db.close()
    code, report = verify(data_dir)
    assert code == 1
    assert ("removed", norm(second), top) in findings(report)


def test_a_swapped_pair_in_the_middle_of_a_stream_is_reported_as_exactly_that_pair(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / "stores" / "ledgers.db")
    _, second, _ = directive_streams(db)
    rows = db.execute("SELECT originator_version, topic, state FROM stored_events WHERE originator_id = ? "
                      "ORDER BY originator_version", (second,)).fetchall()
    assert len(rows) >= 4
    (va, ta, sa), (vb, tb, sb) = rows[1], rows[2]  # versions 2 and 3; version 4 and after stay untouched
    db.execute("UPDATE stored_events SET topic = ?, state = ? WHERE originator_id = ? AND originator_version = ?",
               (tb, sb, second, va))
    db.execute("UPDATE stored_events SET topic = ?, state = ? WHERE originator_id = ? AND originator_version = ?",
               (ta, sa, second, vb))
    db.commit()
    db.close()
    code, report = verify(data_dir)
    assert code == 1
    assert findings(report) == [("reordered", norm(second), va), ("reordered", norm(second), vb)]


def test_a_missing_data_directory_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    code, report = verify(missing)
    assert code == 3 and report["intact"] is None
    assert report["error"]["code"] == "store_not_found" and "(the data directory does not exist)" in \
        report["error"]["message"]
    assert not missing.exists()


def test_a_missing_checkpoint_key_is_an_error_and_no_new_key_is_made(data_dir: Path) -> None:
    key = data_dir / "keys" / "checkpoint-ed25519.key"
    key.unlink()
    code, report = verify(data_dir)
    assert code == 3 and report["intact"] is None
    assert report["error"]["code"] == "key_not_found" and "checkpoint-ed25519.key" in report["error"]["message"]
    assert not key.exists()
    plain_run = subprocess.run([sys.executable, "-m", "paizhu.cli", "verify", "--data-dir", str(data_dir)],
                               capture_output=True, text=True, timeout=120)
    assert plain_run.returncode == 3 and "密钥" in plain_run.stderr and "keys not found" in plain_run.stderr
    assert "Traceback" not in plain_run.stderr


def test_a_missing_store_is_an_error(data_dir: Path) -> None:
    (data_dir / "stores" / "inspections.db").unlink()
    code, report = verify(data_dir)
    assert code == 3 and report["error"]["code"] == "store_not_found"
    assert "inspections.db" in report["error"]["message"]
    assert not (data_dir / "stores" / "inspections.db").exists()
