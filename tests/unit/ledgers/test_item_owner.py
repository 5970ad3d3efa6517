"""Issue #15: an item's owner may carry the roster's person id; items opened before it still load and verify."""

from __future__ import annotations

from typing import Any

from services.common.aggregate import compute_hash
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.items import LedgerItem
from services.ledgers.integration import mapper
from tests.unit.ledgers.conftest import add_item, register


def test_the_owners_person_id_is_recorded_published_and_shown(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app), owner="王明", owner_person_id="p-wang")
    assert (app.get_item(item_id)["owner"], app.get_item(item_id)["owner_person_id"]) == ("王明", "p-wang")
    opened = next(iter(app.repository.event_store.get(item_id)))
    envelope = mapper.to_envelope(opened, position=1)
    assert envelope is not None and (envelope.type, envelope.schema_version) == ("ledgers.ItemOpened", 2)
    assert envelope.payload["owner_person_id"] == "p-wang"
    assert add_item(app, register(app, "环办〔2025〕2号"))  # a department as owner: no person id


def test_an_item_opened_before_owner_ids_loads_and_its_hash_still_verifies(app: LedgersApplication) -> None:
    item_id = add_item(app, register(app))
    stored: Any = next(iter(app.repository.event_store.get(item_id)))
    state = {k: v for k, v in stored.__dict__.items() if k != "owner_person_id"}
    old = object.__new__(LedgerItem.Opened)  # as written before the field existed (the mapper builds it so too)
    old.__dict__.update(state)
    object.__setattr__(old, "hash", compute_hash(old))
    again = app.mapper.to_domain_event(app.mapper.to_stored_event(old))
    assert "owner_person_id" not in again.__dict__ and compute_hash(again) == old.hash
    item = again.mutate(None)
    assert item is not None and item.owner_person_id is None and item.owner == "固体废物与化学品司"
