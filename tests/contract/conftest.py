"""Each fuzz test answers to its service's name, so one service runs alone: `pytest tests/contract -k ledgers`
(`-k hq`, `-k session`, `-k ops` for /healthz and /readyz)."""

from __future__ import annotations

import re

import pytest

_OPERATION = re.compile(r"\[(?:GET|POST|PUT|PATCH|DELETE) (/[^\]]*)\]")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        found = _OPERATION.search(item.nodeid)
        if found is not None:
            parts = found.group(1).split("/")
            item.extra_keyword_matches.add(parts[2] if parts[1] == "api" else "ops")
