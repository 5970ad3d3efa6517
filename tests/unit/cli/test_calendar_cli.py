"""`paizhu calendar record --year Y --file calendar/Y.toml` and `paizhu calendar show` on an embedded data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paizhu.cli import app
from services.common import workdays

runner = CliRunner(env={"COLUMNS": "250", "TERMINAL_WIDTH": "250", "NO_COLOR": "1"})
EXAMPLE = Path(__file__).resolve().parents[3] / "calendar" / "2026.toml"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAIZHU_DATA_DIR", raising=False)
    monkeypatch.setenv("PAIZHU_MODE", "embedded")
    return tmp_path / "data"


def show(data: Path) -> dict[str, object]:
    shown = runner.invoke(app, ["calendar", "show", "--data-dir", str(data)])
    assert shown.exit_code == 0, shown.output
    result: dict[str, object] = json.loads(shown.output[shown.output.index("{"):])
    return result


def test_record_then_show(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    official = runner.invoke(app, ["calendar", "record", "--year", "2026", "--file", str(EXAMPLE),
                                   "--data-dir", str(data)])
    assert official.exit_code == 1 and "calendar_official" in official.output
    wrong_year = runner.invoke(app, ["calendar", "record", "--year", "2027", "--file", str(EXAMPLE),
                                     "--data-dir", str(data)])
    assert wrong_year.exit_code == 2 and "2026" in wrong_year.output
    missing = runner.invoke(app, ["calendar", "record", "--year", "2027", "--data-dir", str(data)])
    assert missing.exit_code == 2

    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)
    recorded = runner.invoke(app, ["calendar", "record", "--year", "2026", "--file", str(EXAMPLE),
                                   "--by", "chen.hq", "--data-dir", str(data)])
    assert recorded.exit_code == 0, recorded.output
    assert json.loads(recorded.output.strip().splitlines()[-1])["year"] == 2026
    shown = show(data)
    assert [a["year"] for a in shown["arrangements"]] == [2026]  # type: ignore[index, union-attr]
    again = runner.invoke(app, ["calendar", "record", "--year", "2026", "--file", str(EXAMPLE),
                                "--data-dir", str(data)])
    assert again.exit_code == 1 and "arrangement_recorded" in again.output
