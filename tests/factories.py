"""Factories for tests: envelopes of integration events, principals' contexts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from events.envelope import GENESIS_HASH, Actor, Envelope, event_id_for
from events.registry import Contract
from services.common.context import CommandContext


def make_envelope(
    payload: Contract,
    *,
    service: str,
    position: int,
    group_id: str | None = "group-mee",
    unit_id: str | None = "unit-mee",
    distribution: str = "hq",
    stream_id: str | None = None,
    stream_version: int = 1,
) -> Envelope:
    """An envelope as another service would publish it, for feeding policies and projections."""
    stream_id = stream_id or str(uuid.uuid4())
    return Envelope(
        event_id=event_id_for(service, stream_id, stream_version),
        type=payload.event_type,  # type: ignore[attr-defined]
        schema_version=payload.schema_version,  # type: ignore[attr-defined]
        service=service,
        stream_id=stream_id,
        stream_version=stream_version,
        position=position,
        occurred_at=datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        actor=Actor(user="tester", org=group_id or "paizhu", role="staff"),
        group_id=group_id,
        unit_id=unit_id,
        distribution=distribution,
        correlation_id=str(uuid.uuid4()),
        causation_id=str(uuid.uuid4()),
        prev_hash=GENESIS_HASH,
        hash="f" * 64,
        payload=payload.model_dump(mode="json"),
    )


def acting_as(user: str = "zhang.wei", org: str = "group-mee", role: str = "staff") -> CommandContext:
    return CommandContext(actor={"user": user, "org": org, "role": role})


def payload_of(envelope: Envelope) -> Any:
    from events.registry import decode

    return decode(envelope)


def evidence_file(name: str) -> str:
    """A closure's evidence: the content address of an uploaded file (sha256 of `name` stands for its bytes)."""
    import hashlib

    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def look_back_checks(similar: str = "adequate", rules: str = "adequate", quality: str = "adequate") -> list[dict[str, str]]:
    """The look-back's three findings (举一反三, 制度机制建设, 抓落实提质效)."""
    return [{"check": "similar_matters", "finding": similar, "note": ""},
            {"check": "rule_building", "finding": rules, "note": ""},
            {"check": "quality", "finding": quality, "note": ""}]
