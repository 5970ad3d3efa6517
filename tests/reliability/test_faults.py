"""The fast part of the fault suite (make reliability, make test): kill -9 of each process kind under load.

One distributed deployment (every service with its policy runner, relay and projector, the gateway; a real
PostgreSQL database reached through a proxy and a real Tansu broker) takes a steady command load; each test
kills one process kind at a random moment, the supervisor restarts it, and once the load stops and the system
settles: the read models equal a from-zero rebuild, every 2xx command is in the history exactly once, `paizhu
verify` exits 0 and no process needed a hand. The longer faults (database cuts, the broker stopped and
restarted) run in `make soak` (python -m bench.reliability --soak).
"""

from __future__ import annotations

import random

import pytest

from bench.reliability import FAST, FAULTS, Cluster, History, Verdict, run_fault

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.mark.parametrize("fault", FAST)
def test_the_deployment_survives(deployment: tuple[Cluster, History], verdicts: list[Verdict], fault: str) -> None:
    nodes, history = deployment
    verdict = run_fault(nodes, history, FAULTS[fault], random.Random(), load_before=(0.5, 2.0), load_after=3.0,
                        settle_timeout=45.0)
    verdicts.append(verdict)
    assert verdict.accepted > 0, "the load got no command through"
    assert verdict.survived, f"{FAULTS[fault].what}: " + "; ".join(verdict.problems)
    assert (verdict.lost, verdict.duplicated, verdict.manual_restarts) == (0, 0, 0)
