"""`fresh_start_s`: how long `make run` takes on a fresh clone until the gateway answers /healthz.

Clones this repository (its committed HEAD) into a temporary folder, runs `make run` there (a new .venv from the
lock file, with whatever pip cache this machine has: the target is under 60 s with a warm one), waits for
http://127.0.0.1:PORT/healthz, stops the platform and removes the folder. Prints the figure and adds it to
bench/results/latest.json's metrics (the other metrics there are kept).

    python -m bench.fresh_start [--python python3.12] [--timeout 600] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.run import RESULTS, metric, metrics
from bench.support import free_port

ROOT = Path(__file__).resolve().parents[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (a loopback URL of ours)
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """End `make` and the `paizhu serve` it started (their own process group), politely first."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def fresh_start(python: str, timeout: float) -> float:
    with tempfile.TemporaryDirectory(prefix="paizhu-fresh-") as tmp:
        clone = Path(tmp) / "paizhu"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        port = free_port()
        env = {**os.environ, "PAIZHU_MODE": "embedded", "PAIZHU_PORT": str(port),
               "PAIZHU_DATA_DIR": str(clone / "data")}
        env.pop("VIRTUAL_ENV", None)
        log_path = Path(tmp) / "make-run.log"
        url = f"http://127.0.0.1:{port}/healthz"
        print(f"make run in {clone} (PYTHON={python}), waiting for {url} …", flush=True)
        with log_path.open("wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(["make", "run", f"PYTHON={python}"], cwd=clone, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            try:
                while not healthy(url):
                    if process.poll() is not None:
                        raise SystemExit(f"make run exited with {process.returncode} before answering:\n"
                                         + log_path.read_text(errors="replace")[-4000:])
                    if time.perf_counter() - started > timeout:
                        raise SystemExit(f"no answer from {url} after {timeout:.0f} s:\n"
                                         + log_path.read_text(errors="replace")[-4000:])
                    time.sleep(0.2)
                elapsed = time.perf_counter() - started
            finally:
                stop(process)
        return elapsed


def save() -> None:
    """Add these metrics to bench/results/latest.json, in bench/run.py's format, keeping the others."""
    document = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"metrics": {}}
    document.setdefault("metrics", {}).update(metrics)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=os.environ.get("PYTHON", "python3"), help="the interpreter `make run` uses")
    parser.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds")
    parser.add_argument("--no-save", action="store_true", help="print only, leave latest.json alone")
    arguments = parser.parse_args()
    metric("fresh_start_s", fresh_start(arguments.python, arguments.timeout), "s")
    if not arguments.no_save:
        save()


if __name__ == "__main__":
    sys.exit(main())
