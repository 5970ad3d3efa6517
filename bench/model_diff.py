"""Where a read model differs from its from-zero rebuild: the rows only one of them holds, table by table.

The fault suite (bench/reliability.py) compares checksums; when they differ, this says which rows, so that the
event lost or applied twice can be found (`python -m bench.model_diff` is not needed: the suite writes the
difference next to the processes' logs)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from projections.common.db import Database
from projections.common.projection import Projection


def differences(projection: Projection, live: Database, rebuilt: Database) -> dict[str, dict[str, list[Any]]]:
    """Per table that differs: {"live_only": rows, "rebuilt_only": rows} (a row held twice counts twice)."""
    mine, theirs = projection.rows(live), projection.rows(rebuilt)
    found = {}
    for table in projection.tables:
        a, b = Counter(mine.get(table, [])), Counter(theirs.get(table, []))
        live_only, rebuilt_only = list((a - b).elements()), list((b - a).elements())
        if live_only or rebuilt_only:
            found[table] = {"live_only": live_only, "rebuilt_only": rebuilt_only}
    return found


def describe(found: dict[str, dict[str, list[Any]]], limit: int = 3) -> str:
    """A short account: per table, how many rows only the live model and only the rebuild hold, with a few."""
    parts = []
    for table, sides in found.items():
        parts.append(f"{table}: {len(sides['live_only'])} rows only live {sides['live_only'][:limit]}, "
                     f"{len(sides['rebuilt_only'])} only rebuilt {sides['rebuilt_only'][:limit]}")
    return "; ".join(parts)
