"""Projection replay: the HQ dashboard rebuilt at a position (or a date) captured during a scripted scenario equals,
checksum and figures, what the live read model held then; the stores are only read, the live model untouched."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from paizhu.cli import app as cli
from paizhu.platform import Platform
from paizhu.projection_replay import CutError, parse_cut, replay_projection, sources_of
from paizhu.settings import Settings
from paizhu.stored_logs import open_logs
from projections.hq_dashboard.projection import HqDashboard
from services.common.clock import ManualClock
from services.common.errors import InvalidInputError
from services.common.forensic_log import forensic_log_id
from tests.factories import acting_as

runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
REVIEWER = {"user": "sun.audit", "org": "hq", "role": "auditor"}
WHY = ["--reason", "核对三月一日的总览 (check the dashboard of 1 March)"]


def replayed(settings: Settings, cut: str, progress: Any = None) -> dict[str, Any]:
    return replay_projection(settings, "hq_dashboard", cut, progress, actor=REVIEWER, reason="核对 (check)")


def projection_uses(data_dir: Path, service: str) -> list[dict[str, Any]]:
    """The projection replays recorded in a service's forensic log, read straight from its store."""
    logs, _ = open_logs(Settings(mode="embedded", data_dir=data_dir), (service,))
    try:
        log = logs[service]
        stream = str(forensic_log_id(service))
        used = [log.decoder.fields(row, stream) for row in log.recorder.select_events(forensic_log_id(service))]
    finally:
        logs[service].close()
    return [u for u in used if u["type"].endswith(".Used") and u["action"] == "replay_projection"]


def at(day: int) -> datetime:
    return datetime(2025, 3, day, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three days of ledger work; after each day the live dashboard's checksum, figures and log positions."""
    data_dir = tmp_path_factory.mktemp("replay-projection")
    clock = ManualClock(at(1))
    platform = Platform(Settings(mode="embedded", data_dir=data_dir, demo=False), clock=clock)
    ledgers: Any = platform.apps["ledgers"]
    live = platform.runners["hq_dashboard"]
    sources = sources_of(live.projection)
    captured: list[dict[str, Any]] = []

    def capture() -> None:
        platform.sync()
        captured.append({"checksum": live.projection.checksum(platform.read_db),
                         "figures": live.projection.figures(platform.read_db),
                         "positions": {s: platform.apps[s].max_position() for s in sources}})

    def register(group: str, unit: str, number: int) -> str:
        return str(ledgers.register_directive(
            group_id=group, unit_id=unit, reference_number=f"环办〔2025〕{number}号", issuer="中共中央办公厅",
            title=f"关于第{number}项重点工作的批示", issued_on=date(2025, 2, 20), received_on=date(2025, 2, 24),
            lead_department="综合司")["directive_id"])

    try:
        with ledgers.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
            first = register("group-mee", "unit-mee", 1)
            register("group-mee", "unit-mee", 2)
        capture()  # day 1
        clock.set(at(2))
        with ledgers.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
            ledgers.record_stage(directive_id=first, stage="relay_study", done_on=date(2025, 3, 2),
                                 summary="部党组会议传达学习", done_by="部党组")
        with ledgers.acting(acting_as("zhou.other", "group-mwr", "group_staff")):
            register("group-mwr", "unit-mwr", 3)
        capture()  # day 2
        clock.set(at(3))
        with ledgers.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
            ledgers.amend_directive(directive_id=first, changes={"title": "关于第一项重点工作的批示"}, reason="更正")
        capture()  # day 3
    finally:
        platform.stop()
    return {"data_dir": data_dir, "captured": captured, "sources": sources}


def cut_of(positions: dict[str, int]) -> str:
    return ",".join(f"{s}={p}" for s, p in positions.items())


def test_replayed_at_each_captured_position_equals_what_the_live_read_model_held(scenario: dict[str, Any]) -> None:
    settings = Settings(mode="embedded", data_dir=scenario["data_dir"])
    checksums = [c["checksum"] for c in scenario["captured"]]
    assert len(set(checksums)) == 3, "the scenario must change the dashboard every day"
    for moment in scenario["captured"]:
        seen: list[tuple[int, int]] = []
        result = replayed(settings, cut_of(moment["positions"]),
                          lambda done, total, seen=seen: seen.append((done, total)))
        assert result["checksum"] == moment["checksum"]
        assert result["figures"] == moment["figures"]
        assert result["positions"] == moment["positions"]
        assert seen and seen[-1][0] == seen[-1][1] == sum(moment["positions"].values())
    day2 = scenario["captured"][1]["figures"]
    assert day2["total_directives"] == 3 and day2["groups"]["group-mee"]["relayed"] == 1


def test_replayed_at_a_date_equals_that_days_read_model(scenario: dict[str, Any]) -> None:
    settings = Settings(mode="embedded", data_dir=scenario["data_dir"])
    for day, moment in enumerate(scenario["captured"], start=1):
        assert replayed(settings, f"2025-03-0{day}")["checksum"] == moment["checksum"]
    assert replayed(settings, "2025-02-28")["figures"]["total_directives"] == 0
    before_day2 = replayed(settings, "2025-03-02T01:59:59+00:00")
    assert before_day2["checksum"] == scenario["captured"][0]["checksum"]


def test_the_command_prints_the_checksum_and_figures_and_refuses_an_unclear_moment(
        scenario: dict[str, Any], tmp_path: Path) -> None:
    moment = scenario["captured"][1]
    data_dir = str(scenario["data_dir"])
    result = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", cut_of(moment["positions"]),
                                 "--json", "--by", "sun.audit", *WHY, "--data-dir", data_dir])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)  # the JSON alone: log lines and the progress bar go to stderr
    assert body["checksum"] == moment["checksum"] and body["figures"] == moment["figures"]
    text = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", "2025-03-02", *WHY,
                                "--data-dir", data_dir])
    assert text.exit_code == 0, text.output
    assert moment["checksum"] in text.output and "校验和 (checksum)" in text.output
    for bad in ("yesterday", "ledgers=x", "nobody=3"):
        refused = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", bad, *WHY, "--data-dir",
                                       data_dir])
        assert refused.exit_code == 2, (bad, refused.output)
    missing = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", "2025-03-01", *WHY,
                                  "--data-dir", str(tmp_path / "nothing")])
    assert missing.exit_code == 3 and not (tmp_path / "nothing").exists()


def test_every_replay_is_recorded_with_who_which_moment_and_why_and_none_without_a_reason(
        scenario: dict[str, Any]) -> None:
    data_dir = scenario["data_dir"]
    before = {s: len(projection_uses(data_dir, s)) for s in scenario["sources"]}
    cut = "2025-03-02"
    result = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", cut, "--json", "--by", "sun.audit",
                                 "--reason", "核对三月二日的总览", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    for service in scenario["sources"]:  # in the log of every service the projection reads
        uses = projection_uses(data_dir, service)
        assert len(uses) == before[service] + 1
        last = uses[-1]
        assert last["actor"]["user"] == "sun.audit" and last["reason"] == "核对三月二日的总览"
        assert (last["record_id"], last["kind"], last["outcome"]) == ("hq_dashboard", "Projection", "allowed")
        assert last["detail"] == {"cut": {"at": cut}} and last["timestamp"]
    blank = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", cut, "--reason", "  ",
                                "--data-dir", str(data_dir)])
    unnamed = runner.invoke(cli, ["replay-projection", "hq_dashboard", "--at", cut, "--data-dir", str(data_dir)])
    assert blank.exit_code == 2 and unnamed.exit_code == 2, (blank.output, unnamed.output)
    assert {s: len(projection_uses(data_dir, s)) for s in scenario["sources"]} == \
        {s: n + 1 for s, n in before.items()}, "a refused use is not a replay"
    with pytest.raises(InvalidInputError):
        replay_projection(Settings(mode="embedded", data_dir=data_dir), "hq_dashboard", cut, actor=REVIEWER,
                          reason="")


def test_positions_must_name_every_service_the_projection_reads() -> None:
    assert parse_cut("2025-03-01", ["ledgers"]).at == "2025-03-01"
    assert parse_cut("12", ["ledgers"]).positions == {"ledgers": 12}
    with pytest.raises(CutError):
        parse_cut("12", ["clues", "ledgers"])
    with pytest.raises(CutError):
        parse_cut("ledgers=12", ["clues", "ledgers"])
    assert sources_of(HqDashboard()) == sorted(sources_of(HqDashboard()))
