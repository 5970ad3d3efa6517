"""The one JSON-plain conversion."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from events.plain import plain


def test_nested_values_become_json_plain() -> None:
    ident = uuid.UUID("6f1c2a4e-6a41-4f43-9a53-70616970687a")
    value = {
        "on": date(2026, 12, 1),
        "at": datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        "pair": (date(2026, 1, 1), [ident, {"n": Decimal("1.5")}]),
        "tags": {"b", "a"},
        3: "key",
    }
    assert plain(value) == {
        "on": "2026-12-01",
        "at": "2026-12-01T08:00:00+00:00",
        "pair": ["2026-01-01", [str(ident), {"n": "1.5"}]],
        "tags": ["a", "b"],
        "3": "key",
    }
    json.dumps(plain(value))
