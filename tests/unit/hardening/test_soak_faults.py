"""`make soak` runs kill -9 of every process kind besides the database cuts and the broker faults (issue #14)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bench.reliability import FAULTS, KILLS, KINDS, SOAK

NODES = ("service-units", "service-ledgers", "service-clues", "service-inspections", "relay-units", "relay-ledgers",
         "relay-clues", "relay-inspections", "project-hq_dashboard", "project-group_workbench", "gateway")


class FakeCluster:
    """The process table of a deployment; `kill` only notes whom it would have killed."""

    def __init__(self, seed: int) -> None:
        self.nodes: dict[str, Any] = dict.fromkeys(NODES)
        self.rng = random.Random(seed)
        self.killed: list[str] = []
        self.signalled: list[str] = []

    def kill(self, name: str) -> None:
        assert name in self.nodes
        self.signalled.append(name)


def kind_of(name: str) -> str:
    return next(kind for kind, prefix in KINDS.items() if name.startswith(prefix))


def killed_by(fault: str, seed: int = 0) -> list[str]:
    nodes = FakeCluster(seed)
    FAULTS[fault].apply(nodes, 0.0)  # type: ignore[arg-type]
    assert nodes.killed == nodes.signalled
    return nodes.signalled


def test_the_soak_kills_a_process_of_every_kind() -> None:
    hit = {kind_of(name) for fault in KILLS for name in killed_by(fault)}
    assert hit == set(KINDS) == {"service", "relay", "projector", "gateway"}
    assert {"kill-policy-runner", "kill-service", "kill-relay", "kill-projector", "kill-gateway"} <= set(SOAK)


def test_the_soak_still_cuts_the_database_and_stops_the_broker() -> None:
    assert {"db-cut-5s", "db-cut-20s", "db-cut-60s", "broker-pause", "broker-restart"} <= set(SOAK)


def test_one_fault_kills_one_of_every_kind_at_once() -> None:
    killed = killed_by("kill-every-kind")
    assert sorted(map(kind_of, killed)) == sorted(KINDS)


@pytest.mark.parametrize("kind", ["service", "relay", "projector"])
def test_a_random_kill_reaches_every_process_of_its_kind(kind: str) -> None:
    reached = {name for seed in range(60) for name in killed_by(f"kill-any-{kind}", seed)}
    assert reached == {n for n in NODES if n.startswith(KINDS[kind])}
