"""One distributed deployment for the fast part of the fault and load suite (started once for the package)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.reliability import (
    FAST_SERVICES,
    Cluster,
    History,
    Verdict,
    cluster,
    print_table,
    summary,
    write_report,
)


@pytest.fixture(scope="package")
def verdicts() -> Iterator[list[Verdict]]:
    """Each fault test's verdict; written to bench/results/reliability.json when the package is done."""
    found: list[Verdict] = []
    yield found
    if found:
        write_report(summary(found))
        print_table(found)


@pytest.fixture(scope="package")
def deployment() -> Iterator[tuple[Cluster, History]]:
    with cluster(services=FAST_SERVICES) as nodes:
        history = History(nodes.direct_env, nodes.rebuild_db)
        try:
            yield nodes, history
        finally:
            history.close()
