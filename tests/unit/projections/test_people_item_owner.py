"""Issue #15, 以人看事 by person id: an item that records its owner's person id is that person's matter (and not
a namesake's); an item recorded before ids (an ItemOpened v1) is still linked by name."""

from __future__ import annotations

from datetime import UTC, date, datetime

from authz import Principal
from events import ledgers as ledger_events
from events import units as unit_events
from events.envelope import Envelope
from events.registry import Contract, decode
from projections.common.db import SqliteDatabase
from projections.common.query import PageRequest
from projections.people import view
from projections.people.projection import People
from runtime.projection_runner import Item, ProjectionRunner
from tests.factories import make_envelope

LEADER = Principal("li.na", "李娜", "group-mee", "group", frozenset({"group_leader"}), group_id="group-mee",
                   supervised_unit_ids=frozenset({"unit-mee"}))


def envelope(payload: Contract, position: int, distribution: str = "unit") -> Envelope:
    found = make_envelope(payload, service="ledgers" if payload.event_type.startswith("ledgers") else "units",  # type: ignore[attr-defined]
                          position=position, group_id="group-mee", unit_id="unit-mee", distribution=distribution)
    return found.model_copy(update={"occurred_at": datetime(2025, 3, position, tzinfo=UTC)})


def appointed(person_id: str, post_id: str, position: int) -> Envelope:
    return envelope(unit_events.PersonAppointed(post_id=post_id, person_id=person_id, person_name="王明",
                                                post_kind="department_head", title="司长", department_id=post_id,
                                                since=date(2024, 1, 1)), position)


def item_v1(item_id: str, owner: str, position: int) -> Envelope:
    """An ItemOpened as published before owner ids (schema v1), decoded (upcast) as a reader gets it."""
    old = envelope(ledger_events.ItemOpenedV1(item_id=item_id, directive_id="d1", list_kind="task", title=item_id,
                                              owner=owner, deadline_rule=None, due_on=None, problem_type=None,
                                              source="group", source_ref=None), position)
    assert old.schema_version == 1
    upcast = decode(old)
    assert isinstance(upcast, ledger_events.ItemOpened) and upcast.owner_person_id is None
    return old


def test_an_item_owned_by_person_id_is_that_persons_matter_and_an_old_item_is_linked_by_name() -> None:
    db = SqliteDatabase(":memory:")
    runner = ProjectionRunner(People(), db)
    runner.setup()
    owned = envelope(ledger_events.ItemOpened(item_id="i-id", directive_id="d1", list_kind="task", title="按编号",
                                              owner="王明", deadline_rule=None, due_on=None, problem_type=None,
                                              source="group", source_ref=None, owner_person_id="p-wang-2"), 3)
    history = [appointed("p-wang", "dep-1", 1), appointed("p-wang-2", "dep-2", 2), owned, item_v1("i-name", "王明", 4)]
    runner.process([Item("t", 0, n, e) for n, e in enumerate(history)])
    assert runner.dead_letter_count() == 0
    with db.transaction() as tx:
        first = view.matters_of(tx, LEADER, "p-wang", PageRequest(50)).rows
        second = view.matters_of(tx, LEADER, "p-wang-2", PageRequest(50)).rows
        assert [(m["matter_id"], m["role"], m["owner_person_id"]) for m in first] == [("i-name", "owner", None)]
        assert [(m["matter_id"], m["role"]) for m in second] == [("i-name", "owner"), ("i-id", "owner")]
        assert view.people_of(tx, LEADER, "i-id") == [{"person_id": "p-wang-2", "person": "王明", "role": "owner",
                                                        "post_kind": None, "title": None}]
        # by name only, two 王明 of the unit: which one is not known
        assert view.people_of(tx, LEADER, "i-name") == [{"person_id": None, "person": "王明", "role": "owner",
                                                          "post_kind": None, "title": None}]
