"""The `paizhu` command line: names from the catalogues, usage errors instead of tracebacks, --data-dir,
--version and help in Chinese and English (through typer's CliRunner, in this process)."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from events.topics import SERVICES
from paizhu.cli import app
from projections.catalog import PROJECTIONS

# wide enough that rich never cuts a line of the help or of an error box
runner = CliRunner(env={"COLUMNS": "250", "TERMINAL_WIDTH": "250", "NO_COLOR": "1"})
CATALOGUE = {"service": SERVICES, "relay": SERVICES, "project": tuple(PROJECTIONS), "rebuild": tuple(PROJECTIONS)}
NO_DATA = {"openapi", "schemas"}  # they print or write source files only
CJK = re.compile(r"[\u4e00-\u9fff]")


def commands() -> dict[str, Any]:
    """The commands as the command line parses them (typer's click objects); a group's as "group command"."""
    found = {}
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        found[name] = command
        for sub, subcommand in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = subcommand
    return found


def options(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option"]


def test_every_command_has_help_in_chinese_and_english() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for name, command in commands().items():
        assert command.help and CJK.search(command.help), f"{name}: no Chinese help"
        # 中文 (English): the English in parentheses, with at least two words
        assert re.search(r"\(([a-z][\w'-]*[ ,;:]+)+[\w'.-]+", command.help.splitlines()[0]), name
        assert name.split()[0] in result.output
        for parameter in options(command):
            if parameter.name != "help":
                assert parameter.help and CJK.search(parameter.help) and "(" in parameter.help, (name, parameter.name)


@pytest.mark.parametrize("command", sorted(CATALOGUE))
def test_the_help_lists_the_valid_names(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    for name in CATALOGUE[command]:
        assert name in result.output, f"{command} --help does not list {name}"


@pytest.mark.parametrize("command", sorted(CATALOGUE))
def test_a_wrong_name_is_a_usage_error_not_a_traceback(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, "no_such_thing", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "no_such_thing" in result.output
    for name in CATALOGUE[command]:
        assert name in result.output
    assert not any(tmp_path.iterdir()), "nothing started, nothing written"


def test_every_command_that_touches_data_takes_data_dir() -> None:
    found = commands()
    assert set(found) >= {"serve", "demo", "service", "relay", "project", "gateway", "rebuild", "checkpoint",
                          "verify", "openapi", "schemas"}
    assert {"replay", "evidence export"} <= set(found)
    for name, command in found.items():
        if hasattr(command, "commands"):
            continue  # a group: its commands are checked
        names = {o for p in options(command) for o in p.opts}
        assert ("--data-dir" in names) == (name not in NO_DATA), name


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"paizhu {version('paizhu')}"


def test_data_dir_is_where_the_commands_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`demo`, `checkpoint`, `verify` and `rebuild` all work in the folder --data-dir names, not in ./data."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAIZHU_DATA_DIR", raising=False)
    monkeypatch.setenv("PAIZHU_MODE", "embedded")
    data = tmp_path / "elsewhere"

    seeded = runner.invoke(app, ["demo", "--data-dir", str(data)])
    assert seeded.exit_code == 0, seeded.output
    assert (data / "stores").is_dir() and (data / "keys").is_dir()
    again = runner.invoke(app, ["demo", "--data-dir", str(data)])
    assert again.exit_code == 0 and "nothing seeded" in again.output

    signed = runner.invoke(app, ["checkpoint", "--data-dir", str(data)])
    assert signed.exit_code == 0, signed.output
    assert all(f"{service}: " in signed.output for service in SERVICES)

    verified = runner.invoke(app, ["verify", "--json", "--data-dir", str(data)])
    assert verified.exit_code == 0, verified.output

    name = next(iter(PROJECTIONS))
    rebuilt = runner.invoke(app, ["rebuild", name, "--data-dir", str(data)])
    assert rebuilt.exit_code == 0, rebuilt.output
    report = json.loads(rebuilt.output.strip().splitlines()[-1])
    assert report["projection"] == name and report["events"] > 0
    assert not (tmp_path / "data").exists(), "nothing went to the default ./data"
