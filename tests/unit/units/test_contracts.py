from __future__ import annotations

from events import units
from events.registry import contract_drift, contracts


def test_units_contracts_are_exported_and_unchanged() -> None:
    assert units.DirectiveNotified.schema_version == 1  # type: ignore[attr-defined]
    mine = {key: model for key, model in contracts().items() if key[0].startswith("units.")}
    assert len(mine) >= 30
    assert contract_drift(mine) == []
