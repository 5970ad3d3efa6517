"""Forensic replay on embedded stores: as-of state equals what the service showed at that moment, on both time
axes; the item history shows closure and reopening with their actors; the evidence bundle verifies stand-alone
and fails after any single changed byte; every use is recorded, with its reason."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from events.plain import plain
from paizhu.cli import app as cli
from paizhu.forensics.asof import Axis, Moment
from paizhu.forensics.reviewer import RecordKind, Reviewer
from paizhu.platform import Platform
from paizhu.settings import Settings
from paizhu.stored_logs import open_logs
from services.common.clock import ManualClock
from services.common.forensic_log import forensic_log_id
from tests.factories import acting_as, evidence_file, look_back_checks

ROOT = Path(__file__).resolve().parents[3]
runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


def at(day: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A directive and an item through a scripted scenario; what GetDirective answered after each command."""
    data_dir = tmp_path_factory.mktemp("forensics")
    clock = ManualClock(at(3))
    platform = Platform(Settings(mode="embedded", data_dir=data_dir, demo=False), clock=clock)
    ledgers: Any = platform.apps["ledgers"]
    shown: list[tuple[int, Any]] = []  # (version, GetDirective's answer)

    def capture(directive_id: str) -> None:
        view = plain(ledgers.get_directive(directive_id))
        shown.append((view["version"] if "version" in view else len(shown) + 1, view))

    with ledgers.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        directive_id = ledgers.register_directive(
            group_id="group-mee", unit_id="unit-mee", reference_number="环办〔2025〕1号", issuer="中共中央办公厅",
            title="关于深入打好长江保护修复攻坚战的重要批示", issued_on=date(2025, 2, 20),
            received_on=date(2025, 2, 24), lead_department="水生态环境司")["directive_id"]
        capture(directive_id)
        clock.set(at(5))
        ledgers.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2025, 3, 4),
                             summary="部党组会议传达学习", done_by="部党组")
        capture(directive_id)
        clock.set(at(10))
        ledgers.amend_directive(directive_id=directive_id, changes={"title": "关于长江保护修复攻坚战的重要批示"},
                                reason="标题录入有误")
        capture(directive_id)
        clock.set(at(20))  # reported late: done on 8 March, recorded on 20 March
        ledgers.record_stage(directive_id=directive_id, stage="deployment", done_on=date(2025, 3, 8),
                             summary="印发工作方案", done_by="部党组")
        capture(directive_id)
        item_id = ledgers.add_item(directive_id=directive_id, list_kind="task", title="完成长江沿线废矿物油专项整治",
                                   owner="固体废物与化学品司", follower="zhou.min",
                                   deadline=date(2025, 6, 30))["item_id"]
    with ledgers.acting(acting_as("wang.qiang", "group-mee", "group_deputy")):
        ledgers.close_item(item_id, summary="验收合格", evidence_refs=[evidence_file("验收报告")])
    clock.set(at(1, 6))
    with ledgers.acting(acting_as("li.na", "group-mee", "group_leader")):
        ledgers.run_scheduler()
        ledgers.record_look_back(item_id, "回头看发现问题反弹", checks=look_back_checks(), reopen=True,
                                 deadline={"basis": "working", "count": 10, "from_date": "2025-06-01"})
    platform.checkpoint()
    platform.stop()
    return {"data_dir": data_dir, "directive_id": directive_id, "item_id": item_id, "shown": shown}


@pytest.fixture
def reviewer(scenario: dict[str, Any]) -> Iterator[Reviewer]:
    r = Reviewer(Settings(mode="embedded", data_dir=scenario["data_dir"]))
    yield r
    r.close()


def test_as_of_each_version_equals_what_get_directive_showed_then(scenario: dict[str, Any],
                                                                     reviewer: Reviewer) -> None:
    case = reviewer.case(RecordKind.directive, scenario["directive_id"])
    assert len(scenario["shown"]) == 4
    own = [e for e in case.events if e.stream_id == case.record_id]
    # after each command the stream had grown by its events: replay up to that command's last event
    cuts = [1, 2, 3, len(own)]
    for version, (_, shown) in zip(cuts, scenario["shown"], strict=True):
        assert reviewer.replay(case, Moment(version=version))["state"] == shown
        position = own[version - 1].position
        assert reviewer.replay(case, Moment(position=position))["state"] == shown


def test_recorded_and_happened_axes_differ_for_a_late_report(scenario: dict[str, Any], reviewer: Reviewer) -> None:
    case = reviewer.case(RecordKind.directive, scenario["directive_id"])
    known = reviewer.replay(case, Moment(at="2025-03-09", axis=Axis.recorded))["state"]
    true = reviewer.replay(case, Moment(at="2025-03-09", axis=Axis.happened))["state"]
    assert known == scenario["shown"][1][1]  # what we knew on 9 March: registered, relay_study
    assert set(known["stages"]) == {"relay_study"}
    assert set(true["stages"]) == {"relay_study", "deployment"}  # done on 8 March, reported on 20 March
    assert true["title"] == "关于深入打好长江保护修复攻坚战的重要批示"  # the correction came on 10 March
    before = reviewer.replay(case, Moment(at="2025-03-01"))
    assert before["state"] is None


def test_diff_of_two_moments_field_by_field(scenario: dict[str, Any], reviewer: Reviewer) -> None:
    case = reviewer.case(RecordKind.directive, scenario["directive_id"])
    result = reviewer.replay(case, Moment(version=3), compare=Moment(version=2))
    fields = {change["field"]: (change["before"], change["after"]) for change in result["diff"]}
    assert fields["title"] == ("关于深入打好长江保护修复攻坚战的重要批示", "关于长江保护修复攻坚战的重要批示")
    assert fields["amendments"] == (0, 1)


def test_item_history_shows_closure_and_reopening_with_their_actors(scenario: dict[str, Any],
                                                                     reviewer: Reviewer) -> None:
    case = reviewer.case(RecordKind.item, scenario["item_id"])
    own = [e.as_dict() for e in case.history() if e.stream_id == case.record_id]
    kinds = [(e["type"].rpartition(".")[2], e["actor"]["user"]) for e in own]
    assert ("Closed", "wang.qiang") in kinds and ("Reopened", "li.na") in kinds
    closed = next(e for e in own if e["type"].endswith(".Closed"))
    assert "wang.qiang" in closed["description"]["zh"] and "closed by wang.qiang" in closed["description"]["en"]
    assert closed["recorded_at"].startswith("2025-03-20") and closed["hash"]
    # the directive's own events share the command's correlation id: the item's case reaches them
    with pytest.raises(LookupError):
        reviewer.case(RecordKind.directive, scenario["item_id"])


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_bundle", ROOT / "tools" / "verify_bundle.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_evidence_bundle_verifies_stand_alone_and_fails_after_any_changed_byte(scenario: dict[str, Any],
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    result = runner.invoke(cli, ["evidence", "export", scenario["item_id"], "--out", str(out), "--reason",
                                 "复查销号与重新打开 (review)", "--by", "sun.audit", "--json",
                                 "--data-dir", str(scenario["data_dir"])])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["intact"] and summary["uncovered"] == 0 and summary["case_events"] >= 4
    with zipfile.ZipFile(out) as archive:
        assert "回头看发现问题反弹" in archive.read("events.jsonl").decode()
        report = archive.read("report.txt").decode()
        assert "证据包" in report and "evidence bundle" in report and "sun.audit" in report

    checked = subprocess.run([sys.executable, str(ROOT / "tools" / "verify_bundle.py"), str(out), "--json",
                              "--public-key", summary["public_key"]], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["intact"] is True

    tool = load_tool()
    data = out.read_bytes()
    assert tool.verify(data, summary["public_key"])["intact"]
    rng = random.Random(13)
    positions = sorted(set(range(0, len(data), max(1, len(data) // 1500))) | {rng.randrange(len(data))
                                                                             for _ in range(500)})
    for position in positions:
        changed = bytearray(data)
        changed[position] ^= 0x01
        try:
            report_ = tool.verify(bytes(changed))
        except tool.Failed:
            continue
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        assert not report_["intact"], f"byte {position} changed and the bundle still verifies"
    other_key = "A" * 43 + "="
    with pytest.raises(tool.Failed):
        tool.verify(data, other_key)


def test_every_use_is_recorded_with_its_reason_and_a_use_without_one_is_refused(scenario: dict[str, Any]) -> None:
    data_dir = str(scenario["data_dir"])
    refused = runner.invoke(cli, ["replay", "item", scenario["item_id"], "--reason", "  ", "--data-dir", data_dir])
    assert refused.exit_code == 2 and "reason is required" in refused.output
    unknown = runner.invoke(cli, ["replay", "clue", scenario["item_id"], "--reason", "x", "--data-dir", data_dir])
    assert unknown.exit_code == 4 and "no such record" in unknown.output
    done = runner.invoke(cli, ["replay", "directive", scenario["directive_id"], "--as-of", "v2", "--json",
                               "--reason", "核查更正经过", "--by", "sun.audit", "--data-dir", data_dir])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["state"] == scenario["shown"][1][1]

    logs, _ = open_logs(Settings(mode="embedded", data_dir=scenario["data_dir"]))
    try:
        log = logs["ledgers"]
        uses = [log.decoder.fields(e, str(forensic_log_id("ledgers")))
                for e in log.recorder.select_events(forensic_log_id("ledgers"))]
    finally:
        for each in logs.values():
            each.close()
    used = [u for u in uses if u["type"].endswith("Used")]
    replays = [u for u in used if u["action"] == "replay" and u["record_id"] == scenario["directive_id"]]
    assert replays and replays[-1]["reason"] == "核查更正经过" and replays[-1]["actor"]["user"] == "sun.audit"
    assert all(u["reason"].strip() for u in used)
    verified = runner.invoke(cli, ["verify", "--json", "--data-dir", data_dir])
    assert verified.exit_code == 0, verified.output  # the log of uses is itself part of the verified history
