from __future__ import annotations

from pathlib import Path

import pytest

from events.catalog import load_all
from events.envelope import canonical_json, chain_hash
from events.ledgers import DirectiveStageRecorded
from events.registry import Contract, UnknownEventError, contract_drift, contracts, decode, export_schemas
from events.topics import SERVICES
from tests.factories import make_envelope

load_all()


def test_every_published_contract_matches_its_exported_schema() -> None:
    published = {key: model for key, model in contracts().items() if key[0].split(".")[0] in SERVICES}
    assert len(published) >= 2
    assert contract_drift(published) == []


def test_a_contract_changed_without_a_new_version_fails_the_schema_check(tmp_path: Path) -> None:
    registered = {key: model for key, model in contracts().items() if key[0] == "ledgers.DirectiveStageRecorded"}
    export_schemas(tmp_path)  # the published state

    class DirectiveStageRecordedChanged(Contract):  # same type and version, one more field
        directive_id: str
        stage: str
        done_on: str
        skipped_with_reason: bool
        note: str

    changed = {key: DirectiveStageRecordedChanged for key in registered}
    problems = contract_drift(changed, tmp_path)
    assert problems and "without a new schema_version" in problems[0]
    assert contract_drift(registered, tmp_path) == []


def test_unknown_type_and_unknown_version_are_refused_by_decode() -> None:
    envelope = make_envelope(DirectiveStageRecorded(directive_id="d", stage="plan", done_on="2025-01-01",
                                                    skipped_with_reason=False), service="ledgers", position=1)
    with pytest.raises(UnknownEventError):
        decode(envelope.model_copy(update={"type": "ledgers.NoSuchEvent"}))
    with pytest.raises(UnknownEventError):
        decode(envelope.model_copy(update={"schema_version": 99}))
    assert decode(envelope).stage == "plan"


def test_canonical_encoding_is_independent_of_key_order() -> None:
    assert canonical_json({"b": 1, "a": "派驻"}) == canonical_json({"a": "派驻", "b": 1})
    assert chain_hash({"a": 1, "prev_hash": "0"}) != chain_hash({"a": 1, "prev_hash": "1"})
    assert chain_hash({"a": 1, "hash": "x"}) == chain_hash({"a": 1, "hash": "y"})


def test_envelope_round_trips_through_its_wire_encoding() -> None:
    envelope = make_envelope(DirectiveStageRecorded(directive_id="d", stage="plan", done_on="2025-01-01",
                                                    skipped_with_reason=True), service="ledgers", position=7)
    assert type(envelope).from_bytes(envelope.to_bytes()) == envelope


def test_event_ids_are_uuid5_of_service_stream_and_version() -> None:
    import uuid

    from events.envelope import EVENT_ID_NAMESPACE, event_id_for

    expected = uuid.uuid5(EVENT_ID_NAMESPACE, "ledgers/abc/3")
    assert event_id_for("ledgers", "abc", 3) == str(expected)
    assert event_id_for("ledgers", "abc", 4) != str(expected)
