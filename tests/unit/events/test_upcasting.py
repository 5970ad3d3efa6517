from __future__ import annotations

from typing import Any

from events.envelope import Envelope
from events.registry import Contract, contract, decode, upcaster
from tests.factories import make_envelope


@contract("test.ThingNamed", 1)
class ThingNamedV1(Contract):
    name: str


@contract("test.ThingNamed", 2)
class ThingNamedV2(Contract):
    name: str
    language: str


@upcaster("test.ThingNamed", 1)
def _v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "language": "zh-CN"}


def test_an_old_event_is_upcast_to_the_latest_version_when_read() -> None:
    old: Envelope = make_envelope(ThingNamedV1(name="台账"), service="test", position=1)
    assert old.schema_version == 1
    payload = decode(old)
    assert isinstance(payload, ThingNamedV2)
    assert payload.language == "zh-CN" and payload.name == "台账"
