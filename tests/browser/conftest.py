"""Browser tests: the embedded platform (`paizhu serve` with the demo data, in a temporary data folder) driven
by Debian's Chromium through Playwright. Every page a test visits is checked by axe-core (no serious or
critical violation), must log no Content-Security-Policy violation, and is saved as a screenshot under
test-artifacts/portals/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from bench.support import free_port
from gateway.accounts import DEMO_PASSWORD
from tests.e2e.conftest import wait_http

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PAIZHU_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "gateway" / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "portals"
TOKEN_KEY = "browser-tests-token-signing-key-0123456789abcdef"



@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`paizhu serve` with the demo scenario on a free port; its base URL."""
    data = tmp_path_factory.mktemp("portals")
    port = free_port()
    env = {**os.environ, "PAIZHU_PG_PORT": "1", "PAIZHU_KAFKA_BOOTSTRAP": "127.0.0.1:1", "PAIZHU_MODE": "embedded",
           "PAIZHU_TOKEN_SIGNING_KEY": TOKEN_KEY}
    log = (data / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "paizhu.cli", "serve", "--port", str(port), "--data-dir",
                                str(data / "data")], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=180)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Visitor:
    """One person's browser: signs in, and checks every page it looks at."""

    page: Any
    base: str
    offsite: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def sign_in(self, user: str, password: str = DEMO_PASSWORD, *, navigate: bool = True) -> None:
        if navigate:
            self.go("/")
        self.page.get_by_label(re.compile("用户名|User id")).fill(user)
        self.page.get_by_label(re.compile("密码|Password")).fill(password)
        self.page.get_by_role("button", name=re.compile("^(登录|Sign in)$")).click()
        self.page.wait_for_load_state("load")

    def check(self, name: str) -> None:
        """axe-core finds no serious or critical violation; no CSP violation; a screenshot is saved."""
        self.page.wait_for_load_state("load")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        self.page.evaluate(AXE.read_text(encoding="utf-8"))  # via the DevTools protocol, not an inline script
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"{name}: {json.dumps(serious, ensure_ascii=False)}"
        policy = [m for m in self.console if "Content Security Policy" in m]
        assert not policy, f"{name}: {policy}"
        assert not self.offsite, f"{name}: requests leaving the gateway: {self.offsite}"


@pytest.fixture
def visitor(browser: Any, server: str) -> Iterator[Visitor]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    found = Visitor(page, server)

    def route(route: Any) -> None:
        if route.request.url.startswith(server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            found.offsite.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda message: found.console.append(message.text))
    yield found
    context.close()
