"""`portal_load_p95_ms`: how long each portal's first page takes to load (the load event) in headless Chromium.

Data (issue #12's target: the 100-group data set of the read-side benchmark): in a temporary embedded data
folder (SQLite stores and read models), before the gateway starts, the demo scenario is seeded and then
`--groups` groups × `--directives` directives are recorded through the ledgers application by the read-side
benchmark's generator (`bench.queries.generate`: stages, stage deadlines, two items each, overdue ones once the
scheduler ran). The first two generated groups are the demo's (group-mee, group-mwr), so zhang.wei and li.na
see their group's share, zhao.unit unit-mee's, liu.team the demo's inspection; chen.hq (HQ) sees every group.
`--api-directives` adds more through the API on top (the earlier mode of this benchmark).

Then `paizhu serve` starts on that folder; once every read model has caught up with every service (the
operator's /readyz positions, not a fixed sleep), each portal's user signs in and loads its first page
`--loads` times. Saves the figures, the data description and the load average to bench/results/portals.json.

    nice python -m bench.portals                          # 100 groups × 30 directives, 20 loads per portal
    python -m bench.portals --groups 0                    # the demo data alone
    python -m bench.portals --groups 0 --api-directives 1000   # the earlier mode
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

from bench import queries
from bench.support import free_port
from gateway.accounts import DEMO_PASSWORD

RESULTS = Path(__file__).parent / "results" / "portals.json"
CHROMIUM = os.environ.get("PAIZHU_CHROMIUM", "/usr/bin/chromium")
PORTALS = {"hq": ("chen.hq", "/hq"), "group": ("zhang.wei", "/group"), "clues": ("li.na", "/group/clues"),
           "unit": ("zhao.unit", "/unit"), "inspection": ("liu.team", "/inspection")}
GROUPS = (("zhang.wei", "group-mee", "unit-mee"), ("zhou.other", "group-mwr", "unit-mwr"))
OPERATOR_TOKEN = "bench-portals"


def prepare(data_dir: Path, groups: int, directives: int) -> tuple[dict[str, int], bool]:
    """The demo and the generated commission in `data_dir`, its deadlines checked as of now and every read model
    caught up, before the server opens it; the events per service, and whether they were generated now (not
    found in a kept folder)."""
    from paizhu.demo import DEMO_START, seed_demo
    from paizhu.platform import Platform
    from paizhu.settings import Settings
    from services.common.clock import ManualClock

    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=data_dir, demo=True, log_level="WARNING"), clock=clock)
    try:
        generated = seed_demo(platform, clock)  # False: a kept folder (`--keep`) already holds them
        if generated and groups:
            queries.generate(platform, clock, groups, directives)
        platform.gateway_runtime()  # records the built-in accounts once
        clock.set(max(datetime.now(UTC), clock.now()))
        platform.run_schedulers()  # what the server would find overdue as it starts, recorded now
        platform.sync()
        return {name: int(app.max_position()) for name, app in platform.apps.items()}, generated
    finally:
        platform.stop()


def wait_fresh(base: str, timeout: float = 600.0) -> float:
    """Wait until every read model reflects every service's last event (the operator's view of /readyz);
    the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        answer = httpx.get(f"{base}/readyz", headers={"X-Paizhu-Operator-Token": OPERATOR_TOKEN}, timeout=30)
        checks = answer.json().get("checks", {})
        services = {k.removeprefix("service:"): v for k, v in checks.items() if k.startswith("service:")}
        models = {k: v for k, v in checks.items() if not k.startswith("service:") and isinstance(v, dict)}
        if answer.status_code == 200 and services and models and all(
                positions.get(service, 0) >= last for positions in models.values()
                for service, last in services.items()):
            return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError("the read models did not catch up")


def wait_up(base: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{base} did not come up")


def bearer(base: str, user: str) -> dict[str, str]:
    token = httpx.post(f"{base}/api/session/login", json={"user_id": user, "password": DEMO_PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def add_directives(base: str, count: int) -> None:
    def register(index: int) -> None:
        user, group, unit = GROUPS[index % len(GROUPS)]
        day = date(2024, 1, 2) + timedelta(days=index % 700)
        body = {"group_id": group, "unit_id": unit, "reference_number": f"测〔{day.year}〕{index}号",
                "issuer": "中共中央办公厅", "title": f"基准测试部署事项 {index}", "issued_on": str(day),
                "received_on": str(day + timedelta(days=1)), "lead_department": "综合司"}
        with httpx.Client(base_url=base, headers=headers[user], timeout=60) as client:
            for _ in range(10):  # concurrent registrations may meet on the group's record: try again
                response = client.post("/api/ledgers/directives", json=body)
                if response.status_code != 409 or response.json()["error"]["code"] != "concurrent_write":
                    break
            response.raise_for_status()
            if index % 3 == 0:
                client.post(f"/api/ledgers/directives/{response.json()['directive_id']}/stages", json={
                    "stage": "relay_study", "done_on": str(day + timedelta(days=3)), "summary": "传达学习",
                    "done_by": "党组"}).raise_for_status()

    headers = {user: bearer(base, user) for user, _, _ in GROUPS}
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(register, range(count)))


def measure(base: str, loads: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    timings: dict[str, list[float]] = {}
    servers: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, (user, path) in PORTALS.items():
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/")
            page.fill("#user_id", user)
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            page.goto(f"{base}{path}")  # warm: the browser's cache holds the scripts, as it would for a user
            found, server = [], []
            for _ in range(loads):
                page.goto(f"{base}{path}", wait_until="load")
                load, answer = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.loadEventEnd - n.startTime, n.responseStart - n.requestStart]; }")
                found.append(load)
                server.append(answer)
            timings[name] = found
            servers[name] = server
            context.close()
        browser.close()
    return timings, servers


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--groups", type=int, default=queries.GROUPS, help="groups generated (0: the demo alone)")
    parser.add_argument("--directives", type=int, default=queries.DIRECTIVES, help="directives per generated group")
    parser.add_argument("--api-directives", type=int, default=0, help="directives added through the API on top")
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the data folder here and reuse it next time (same --groups and --directives)")
    args = parser.parse_args(argv)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="paizhu-portals-") as folder:
        data_dir = args.keep or Path(folder) / "data"
        started = time.monotonic()
        events, generated = prepare(data_dir, args.groups, args.directives)
        generated_s = time.monotonic() - started
        env = {**os.environ, "PAIZHU_MODE": "embedded", "PAIZHU_PG_PORT": "1", "PAIZHU_KAFKA_BOOTSTRAP": "127.0.0.1:1",
               "PAIZHU_OPERATOR_TOKEN": OPERATOR_TOKEN}
        with (Path(folder) / "serve.log").open("w") as log:
            process = subprocess.Popen([sys.executable, "-m", "paizhu.cli", "serve", "--port", str(port),
                                        "--data-dir", str(data_dir)], env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_up(base)
                started = time.monotonic()
                add_directives(base, args.api_directives)
                added_s = time.monotonic() - started
                caught_up_s = wait_fresh(base)
                load_before = os.getloadavg()
                timings, servers = measure(base, args.loads)
                load_after = os.getloadavg()
            finally:
                process.terminate()
                process.wait(timeout=30)
    per_portal = {name: {"p50_ms": round(statistics.median(v), 1), "p95_ms": round(p95(v), 1),
                         "server_p50_ms": round(statistics.median(servers[name]), 1), "loads": len(v)}
                  for name, v in timings.items()}
    every = [t for v in timings.values() for t in v]
    result = {
        "metrics": {"portal_load_p95_ms": {"value": round(p95(every), 1), "unit": "ms"}},
        "portals": per_portal,
        "data": {"mode": "embedded (SQLite stores and read models)", "demo": True,
                 "generator": "bench.queries.generate (through the ledgers application, before the server starts)",
                 "groups": args.groups, "directives_per_group": args.directives,
                 "directives": args.groups * args.directives + args.api_directives,
                 "api_directives": args.api_directives, "events_by_service": events,
                 "generated_in_this_run": generated, "seconds_to_generate": round(generated_s, 1) if generated else None,
                 "seconds_to_add_api_directives": round(added_s, 1),
                 "seconds_until_read_models_fresh": round(caught_up_s, 1)},
        "load_average_1min": {"before": round(load_before[0], 1), "after": round(load_after[0], 1)},
        "cores": os.cpu_count(),
        "browser": CHROMIUM, "target_ms": 1000,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
