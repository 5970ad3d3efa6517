"""The portals' browser files: pinned in the npm lock, installed by `make install`, the same ones in the image."""

from __future__ import annotations

import json
import re
from pathlib import Path

from gateway.web.assets import NODE_MODULES, VENDOR, WEB

ROOT = Path(__file__).resolve().parents[3]


def test_every_npm_dependency_is_pinned_exactly_and_locked() -> None:
    package = json.loads((WEB / "package.json").read_text())
    lock = json.loads((WEB / "package-lock.json").read_text())
    wanted = {**package["dependencies"], **package["devDependencies"]}
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: {version} is not one exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-"), name


def test_the_served_files_are_installed_and_the_image_carries_the_same_ones() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = re.search(r"cp --parents ([^/]\S*(?:\s*\\?\s*\S+)*?) /out/", dockerfile)
    assert copied, "the image copies the served files from node_modules"
    assert sorted(copied[1].replace("\\", " ").split()) == sorted(VENDOR.values())
    for path in VENDOR.values():
        assert (NODE_MODULES / path).is_file(), f"{path}: run `make install` (npm ci in gateway/web)"


def test_make_install_runs_npm_ci_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "npm ci --ignore-scripts" in makefile
    assert re.search(r"^install: .*\$\(WEB_STAMP\)", makefile, re.M)
    # without a trailing slash: ignored as a directory and as a link (a worktree's link to a shared one)
    assert "gateway/web/node_modules" in (ROOT / ".gitignore").read_text().splitlines()
