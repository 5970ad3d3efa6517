"""The integration-event envelope, its canonical encoding and the per-stream hash chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from events.plain import plain

GENESIS_HASH = "0" * 64
EVENT_ID_NAMESPACE = uuid.UUID("6f1c2a4e-6a41-4f43-9a53-70616970687a")

DISTRIBUTION_LEVELS = ("group", "hq", "unit")
"""Plain levels; `inspection:<round_id>` and `compartment:<id>` are the parameterised ones."""


class Actor(BaseModel):
    """Who caused an event: a user acting in one organisation with one role."""

    model_config = ConfigDict(frozen=True)

    user: str
    org: str
    role: str


SYSTEM_ACTOR = Actor(user="system", org="paizhu", role="system")


class Envelope(BaseModel):
    """One integration event as it travels on the bus and reaches projections and policies."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    type: str
    schema_version: int
    service: str
    stream_id: str
    stream_version: int
    position: int = Field(description="the service's global notification id")
    occurred_at: datetime
    actor: Actor
    group_id: str | None = None
    unit_id: str | None = None
    distribution: str
    correlation_id: str
    causation_id: str
    traceparent: str = ""
    prev_hash: str
    hash: str
    payload: dict[str, Any]

    _contract: Any = PrivateAttr(default=None)
    """(payload dict, contract) when this process built the envelope from a contract it had validated: `decode`
    returns that contract instead of validating the same payload again (a rebuild's hot loop). Not part of the
    envelope's value: equality compares the fields only, and a copy with another payload dict does not use it."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # as before: its payload is a dict

    def keep_contract(self, contract: Any) -> Envelope:
        """Remember the contract this envelope's payload was dumped from (see `_contract`)."""
        self._contract = (self.payload, contract)
        return self

    def kept_contract(self) -> Any:
        """The contract remembered with `keep_contract` while the payload is still the dict it was dumped to."""
        kept = self._contract
        return kept[1] if kept is not None and kept[0] is self.payload else None

    def to_bytes(self) -> bytes:
        """The encoding used on Kafka: JSON (integrity rests on `hash`, computed over the canonical encoding
        of the stored event, so the wire encoding need not be canonical)."""
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Envelope:
        return cls.model_validate_json(data)


_NAMESPACE_BYTES = EVENT_ID_NAMESPACE.bytes


def event_id_for(service: str, stream_id: str, stream_version: int) -> str:
    """Deterministic event id (a UUID version 5), so a republished event is recognisably the same event.

    Computed directly with hashlib: `uuid.uuid5` is a hot spot when relaying and rebuilding.
    """
    digest = bytearray(
        hashlib.sha1(_NAMESPACE_BYTES + f"{service}/{stream_id}/{stream_version}".encode(), usedforsecurity=False)
        .digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: one byte string per value, so hashes are stable."""
    return json.dumps(
        plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def canonical_plain(value: Any) -> bytes:
    """`canonical_json` of a value that is already JSON-plain (as `json.loads` returns it): the same bytes,
    without the conversion pass (the verifier's hot loop)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chain_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical encoding of an event's fields, `prev_hash` included, `hash` excluded."""
    body = {k: v for k, v in fields.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body)).hexdigest()
