"""The lock files (requirements/*.txt) agree with pyproject.toml: every declared dependency is pinned there at
its declared version, every package has hashes, and the run lock is the dev lock's subset (README:
"Dependencies"; `make lock` regenerates them)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)(?: ;[^\\]*)?((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)",
                   re.M)


def lock(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    entries = {canonicalize_name(m.group(1)): m.group(2) for m in ENTRY.finditer(text)}
    packages = [line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
    assert len(packages) == len(entries), f"{name}: an entry without an exact pin or without hashes"
    return entries


def declared(group: list[str]) -> dict[str, str]:
    pins = {}
    for line in group:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{line}: pin it exactly"
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_requires_python() -> None:
    assert PYPROJECT["project"]["requires-python"] == ">=3.11,<3.14"


def test_run_lock_pins_what_running_needs() -> None:
    run = lock("run.txt")
    for name, version in declared(PYPROJECT["project"]["dependencies"]).items():
        assert run.get(name) == version, f"{name}=={version} is not in requirements/run.txt: run `make lock`"
    for tool in declared(PYPROJECT["project"]["optional-dependencies"]["dev"]):
        assert tool not in run, f"{tool} is a development tool: `make run` must not install it"
    assert "setuptools" in run, "the build backend, for `pip install --no-build-isolation -e .`"


def test_dev_lock_pins_everything_and_agrees_with_the_run_lock() -> None:
    run, dev = lock("run.txt"), lock("dev.txt")
    wanted = {**declared(PYPROJECT["project"]["dependencies"]),
              **declared(PYPROJECT["project"]["optional-dependencies"]["dev"])}
    for name, version in wanted.items():
        assert dev.get(name) == version, f"{name}=={version} is not in requirements/dev.txt: run `make lock`"
    for name, version in run.items():
        assert dev.get(name) == version, f"{name}: {version} in run.txt, {dev.get(name)} in dev.txt"


def test_declared_but_unused_dependencies_are_gone() -> None:
    dependencies = PYPROJECT["project"]["dependencies"]
    names = [canonicalize_name(Requirement(line).name) for line in dependencies]
    assert len(names) == len(set(names)), "a package declared twice"
    # Jinja2 was once declared and unused; the portals' templates use it now
    assert "jinja2" not in names or "from jinja2 import" in (ROOT / "gateway" / "web" / "render.py").read_text()
    (eventsourcing,) = (Requirement(line) for line in dependencies if line.startswith("eventsourcing"))
    # the code uses eventsourcing.cryptography.AESCipher, which needs `cryptography` (not the `crypto` extra's
    # pycryptodome)
    assert eventsourcing.extras == {"cryptography"}
    assert "pycryptodome" not in lock("run.txt")
