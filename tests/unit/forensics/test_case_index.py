"""The correlation index: a case's history across the stores is the same with it as by reading every row, before
and after more events are stored past it; with it, only the rows stored since the last checkpoint are read.

The case: an inspection round whose referral became a clue (clues) and whose finding became a ledger item
(ledgers), next to an unrelated directive.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from paizhu.forensics.history import Case, collect_case
from paizhu.platform import Platform
from paizhu.settings import Settings
from paizhu.stored_logs import open_logs
from services.common.case_history import service_case_index
from services.common.clock import ManualClock
from tests.factories import acting_as
from tests.unit.forensics.cross_service import record_case


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("case-index")
    settings = Settings(mode="embedded", data_dir=data_dir, demo=False)
    platform = Platform(settings, clock=ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC)))
    try:  # not started: no checkpoint is signed in the background, only where the test signs one
        ids = record_case(platform.apps, platform.sync)
        platform.sync()
        platform.checkpoint()  # signs every log and brings every correlation index up to date
        yield {"platform": platform, "settings": settings, "app": platform.apps["inspections"], **ids}
    finally:
        platform.stop()


def both_ways(settings: Settings, record_id: str) -> tuple[Case, Case, dict[str, Any]]:
    logs, _ = open_logs(settings)
    try:
        indexed = collect_case(logs, record_id)
        scanned = collect_case(logs, record_id, use_index=False)
        tails = {name: log.case_index() for name, log in logs.items()}
        read = {name: (index.tail(), index._upto) for name, index in tails.items()}
    finally:
        for log in logs.values():
            log.close()
    return indexed, scanned, read


def shape(case: Case) -> list[tuple[Any, ...]]:
    return [(e.service, e.position, e.stream_id, e.version, e.in_case, e.why, e.fields) for e in case.events]


def test_the_history_is_the_same_with_the_index_and_only_the_rows_after_it_are_read(case: dict[str, Any]) -> None:
    platform: Platform = case["platform"]
    indexed, scanned, read = both_ways(case["settings"], case["round_id"])
    assert shape(indexed) == shape(scanned)
    assert {e.service for e in indexed.events if e.in_case} == {"inspections", "clues", "ledgers", "units"}  # units keeps the clue's final codes
    assert case["unrelated"] not in {e.stream_id for e in indexed.events}
    for service in ("inspections", "clues", "ledgers"):
        tail, upto = read[service]
        app = platform.apps[service]
        assert upto > 0, f"{service}: no index after the checkpoint"
        assert all(entry.position > upto for entry in tail)
        assert len(tail) < app.max_position() // 2, f"{service}: read past the index"


def test_events_stored_after_the_index_are_found_and_caught_up(case: dict[str, Any]) -> None:
    platform: Platform = case["platform"]
    app = case["app"]
    with app.acting(acting_as("liu.team", "team-3", "team_leader")):
        finding_id = app.record_finding(case["round_id"], "台账不全", "描述", "perfunctory", "办公厅",
                                        date(2025, 7, 31))["finding_id"]
        app.hand_over_finding(case["round_id"], finding_id)
    platform.sync()  # the new ledger item is stored past the index in ledgers too
    indexed, scanned, read = both_ways(case["settings"], case["round_id"])
    assert shape(indexed) == shape(scanned)
    assert read["inspections"][0] and read["ledgers"][0], "the new events are past the index"
    before = {e.stream_id for e in indexed.events if e.service == "ledgers"}
    assert len(before) == 2, "both findings' ledger items are part of the case"
    ledgers_index = service_case_index(platform.apps["ledgers"])
    assert ledgers_index.catch_up() == len(read["ledgers"][0])
    assert ledgers_index.catch_up() == 0
    assert ledgers_index.indexed_upto() == max(e.position for e in read["ledgers"][0])
    again, _, after = both_ways(case["settings"], case["round_id"])
    assert shape(again) == shape(scanned) and after["ledgers"][0] == []


def test_an_unrelated_records_case_does_not_reach_the_round(case: dict[str, Any]) -> None:
    indexed, scanned, _ = both_ways(case["settings"], case["unrelated"])
    assert shape(indexed) == shape(scanned)
    assert {e.stream_id for e in indexed.events if e.in_case} >= {case["unrelated"]}
    assert case["round_id"] not in {e.stream_id for e in indexed.events}


def test_the_heads_tree_is_the_one_its_leaves_and_nodes_define() -> None:
    """The inlined tree (verify, export) against the definition: leaf = H(0x00 ‖ [stream, version, hash]),
    node = H(0x01 ‖ left ‖ right), pairs from the left, an odd last node going up as it is."""
    from services.common.verification import _head_leaf, _node, heads_proofs, heads_root

    for size in (1, 2, 3, 5, 8, 13):
        heads = {str(uuid.UUID(int=n * 7919)): [n + 1, f"{n:064x}"] for n in range(size)}
        level = [_head_leaf(stream, heads[stream]) for stream in sorted(heads)]
        while len(level) > 1:
            level = [_node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                     for i in range(0, len(level), 2)]
        assert heads_root(heads) == level[0].hex()
        for stream, path in heads_proofs(heads, heads).items():
            node = _head_leaf(stream, heads[stream])
            for side, sibling in path:
                node = _node(bytes.fromhex(sibling), node) if side == "L" else _node(node, bytes.fromhex(sibling))
            assert node.hex() == heads_root(heads)
