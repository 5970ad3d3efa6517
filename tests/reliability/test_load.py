"""The short load run (make reliability, make test): 50 concurrent clients mixing commands and reads for 10 s.

It runs on the package's deployment (after the fault tests). The long one is `make soak` (python -m bench.load --clients 50 --seconds 120). Both write bench/results/load.json.
"""

from __future__ import annotations

import pytest

from bench.load import ENDPOINTS, run
from bench.reliability import Cluster, History

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_fifty_clients_get_answers_and_no_server_error(deployment: tuple[Cluster, History]) -> None:
    report = run(clients=50, seconds=10.0, deployment=deployment[0])
    endpoints = report["endpoints"]
    assert set(endpoints) == {e.name for e in ENDPOINTS}
    for name, figures in endpoints.items():
        assert figures["requests"] > 0, f"{name} was never called"
        server_side = {kind: n for kind, n in figures["error_kinds"].items() if not kind.startswith("4")}
        assert not server_side, f"{name}: answers of 5xx or none at all under load: {server_side}"
        assert figures["p50_ms"] <= figures["p99_ms"]
    assert report["processes_exited_by_themselves"] == []
    for process, rss in report["rss_kib"].items():
        assert rss["start"] and rss["end"], f"no memory figure for {process}"
