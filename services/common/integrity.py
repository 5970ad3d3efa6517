"""Tamper evidence: signed checkpoints of a service's notification log, and the verifier.

Each stream is a hash chain (`prev_hash` -> `hash`). A checkpoint (Ed25519-signed) covers the whole
notification log up to a position: a running digest of (position, stream, version, hash) and the head
(version, hash) of every stream. The verifier recomputes both and names each event that was altered,
removed, inserted or reordered.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.domain import event

from events.envelope import GENESIS_HASH, canonical_json, chain_hash
from services.common.aggregate import ChainedAggregate, event_fields
from services.common.application import ServiceApplication
from services.common.context import CommandContext

CHECKPOINT_NAMESPACE = uuid.UUID("0b7f1f0e-55a8-4c1e-9a51-636b70743031")


def checkpoint_log_id(service: str) -> uuid.UUID:
    return uuid.uuid5(CHECKPOINT_NAMESPACE, service)


def _step(digest: str, position: int, stream_id: str, version: int, event_hash: str) -> str:
    return hashlib.sha256(
        digest.encode() + canonical_json([position, stream_id, version, event_hash])
    ).hexdigest()


def _heads_digest(heads: dict[str, list[Any]]) -> str:
    return hashlib.sha256(canonical_json(heads)).hexdigest()


def _statement(service: str, position: int, log_digest: str, heads_digest: str) -> bytes:
    return canonical_json(
        {"service": service, "position": position, "log_digest": log_digest, "heads_digest": heads_digest}
    )


class CheckpointLog(ChainedAggregate):
    """The signed checkpoints of one service's notification log (a stream in that service's store)."""

    default_distribution = "hq"

    @event("Started")
    def __init__(self, service: str) -> None:
        self.service = service
        self.position = 0
        self.log_digest = GENESIS_HASH
        self.heads: dict[str, list[Any]] = {}

    @event("Signed")
    def sign(self, position: int, log_digest: str, changed_heads: dict[str, list[Any]],
             heads_digest: str, signature: str, public_key: str) -> None:
        self.position = position
        self.log_digest = log_digest
        self.heads.update(changed_heads)


def _notifications(app: ServiceApplication, after: int, page: int = 1000) -> Iterator[Any]:
    while True:
        batch = app.recorder.select_notifications(start=after + 1, limit=page)
        if not batch:
            return
        yield from batch
        after = batch[-1].id


class Checkpointer:
    def __init__(self, signing_key: Ed25519PrivateKey) -> None:
        self.key = signing_key
        raw = signing_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_key = base64.b64encode(raw).decode()

    def checkpoint(self, app: ServiceApplication) -> int | None:
        """Sign a checkpoint covering everything recorded so far; None when nothing is new."""
        log_id = checkpoint_log_id(app.name)
        context = CommandContext(actor={"user": "checkpointer", "org": "paizhu", "role": "system"})
        with app.acting(context):
            try:
                log: CheckpointLog = app.repository.get(log_id)
            except Exception:
                log = CheckpointLog._create(CheckpointLog.Started, id=log_id, service=app.name)  # type: ignore[attr-defined]
            digest, changed, last = log.log_digest, {}, log.position
            for notification in _notifications(app, log.position):
                if notification.originator_id == log_id:
                    continue
                domain_event: Any = app.mapper.to_domain_event(notification)
                stream = str(notification.originator_id)
                digest = _step(digest, notification.id, stream, notification.originator_version,
                               domain_event.hash)
                changed[stream] = [notification.originator_version, domain_event.hash]
                last = notification.id
            if last == log.position:
                return None
            heads = {**log.heads, **changed}
            heads_digest = _heads_digest(heads)
            signature = self.key.sign(_statement(app.name, last, digest, heads_digest))
            log.sign(position=last, log_digest=digest, changed_heads=changed, heads_digest=heads_digest,
                     signature=base64.b64encode(signature).decode(), public_key=self.public_key)
            app.save(log)
            return last


@dataclass(frozen=True)
class Finding:
    kind: str
    """altered | removed | inserted | reordered | checkpoint"""
    service: str
    stream_id: str
    version: int | None
    position: int | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class StoreReport:
    service: str
    events: int = 0
    streams: int = 0
    checkpoints: int = 0
    checkpoint_position: int = 0
    unsigned_events: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service, "intact": self.intact, "events": self.events, "streams": self.streams,
            "checkpoints": self.checkpoints, "checkpoint_position": self.checkpoint_position,
            "unsigned_events": self.unsigned_events, "findings": [f.as_dict() for f in self.findings],
        }


@dataclass
class _Stored:
    position: int
    version: int
    event: Any | None
    error: str = ""


def _hash_at(event: Any, version: int) -> str:
    fields = event_fields(event)
    fields["originator_version"] = version
    return chain_hash(fields)


def verify_store(
    app: ServiceApplication, public_key_b64: str, progress: Callable[[int], None] | None = None
) -> StoreReport:
    """Walk a service's store: every hash chain, every signed checkpoint."""
    report = StoreReport(app.name)
    public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
    log_id = str(checkpoint_log_id(app.name))
    streams: dict[str, list[_Stored]] = {}
    checkpoint_events: list[Any] = []
    order: list[tuple[int, str, int, str]] = []  # (position, stream, version, stored hash)
    for notification in _notifications(app, 0):
        stream = str(notification.originator_id)
        try:
            domain_event = app.mapper.to_domain_event(notification)
            stored = _Stored(notification.id, notification.originator_version, domain_event)
        except Exception as error:  # ciphertext or JSON altered beyond decoding
            stored = _Stored(notification.id, notification.originator_version, None, type(error).__name__)
        streams.setdefault(stream, []).append(stored)
        if stream == log_id and stored.event is not None and type(stored.event).__name__ == "Signed":
            checkpoint_events.append(stored.event)
        if stream != log_id:
            order.append((notification.id, stream, notification.originator_version,
                          stored.event.hash if stored.event is not None else ""))
        report.events += 1
        if progress is not None:
            progress(1)
    report.streams = len(streams)

    # 1. every stream's chain
    for stream, stored_events in streams.items():
        _check_stream(report, stream, stored_events)

    # 2. the signed checkpoints
    valid = []
    for cp in checkpoint_events:
        statement = _statement(app.name, cp.position, cp.log_digest, cp.heads_digest)
        try:
            public_key.verify(base64.b64decode(cp.signature), statement)
            valid.append(cp)
        except (InvalidSignature, ValueError):
            report.findings.append(Finding("checkpoint", app.name, log_id, cp.originator_version, None,
                                           f"checkpoint at position {cp.position} has an invalid signature"))
    report.checkpoints = len(valid)
    if valid:
        _check_against_checkpoints(report, valid, streams, order, log_id)
    else:
        report.unsigned_events = len(order)
    return report


def _check_stream(report: StoreReport, stream: str, stored_events: list[_Stored]) -> None:
    by_version = {s.version: s for s in stored_events}
    top = max(by_version)
    previous_hash = GENESIS_HASH
    for version in range(1, top + 1):
        stored = by_version.get(version)
        if stored is None:
            report.findings.append(Finding("removed", report.service, stream, version, None,
                                           f"version {version} of the stream is missing"))
            previous_hash = None  # type: ignore[assignment]
            continue
        if stored.event is None:
            report.findings.append(Finding("altered", report.service, stream, version, stored.position,
                                           f"stored event cannot be decoded ({stored.error})"))
            previous_hash = None  # type: ignore[assignment]
            continue
        event_ = stored.event
        recomputed = _hash_at(event_, version)
        if recomputed != event_.hash:
            moved = [v for v in by_version if v != version and _hash_at(event_, v) == event_.hash]
            twin = by_version.get(moved[0]) if moved else None
            if twin is not None and twin.event is not None and twin.event.hash == event_.hash:
                report.findings.append(Finding("inserted", report.service, stream, version, stored.position,
                                               f"a copy of version {moved[0]} inserted as version {version}"))
            elif moved:
                report.findings.append(Finding("reordered", report.service, stream, version, stored.position,
                                               f"the event stored as version {version} is version {moved[0]}"))
            else:
                report.findings.append(Finding("altered", report.service, stream, version, stored.position,
                                               "content does not match its hash"))
        elif previous_hash is not None and event_.prev_hash != previous_hash:
            report.findings.append(Finding("inserted", report.service, stream, version, stored.position,
                                           "does not follow the previous event of its stream"))
        previous_hash = event_.hash


def _check_against_checkpoints(report: StoreReport, checkpoints: list[Any], streams: dict[str, list[_Stored]],
                               order: list[tuple[int, str, int, str]], log_id: str) -> None:
    heads: dict[str, list[Any]] = {}
    for cp in checkpoints:
        heads.update(cp.changed_heads)
    latest = checkpoints[-1]
    report.checkpoint_position = latest.position
    named = {(f.stream_id, f.version) for f in report.findings}
    # the running digest over the covered part of the log
    digest = GENESIS_HASH
    expected = {cp.position: cp.log_digest for cp in checkpoints}
    for position, stream, version, event_hash in order:
        if position > latest.position:
            break
        digest = _step(digest, position, stream, version, event_hash)
        if position in expected and expected[position] != digest:
            if not report.findings:
                report.findings.append(Finding("checkpoint", report.service, "", None, position,
                                               "the log up to this signed checkpoint differs"))
            expected.pop(position)
    if latest.position not in {p for p, *_ in order} and not report.findings:
        report.findings.append(Finding("removed", report.service, "", None, latest.position,
                                       "the event at the latest checkpoint's position is missing"))
    present = {stream: {s.version: s for s in stored} for stream, stored in streams.items() if stream != log_id}
    for stream, (head_version, head_hash) in heads.items():
        versions = present.get(stream)
        if versions is None:
            report.findings.append(Finding("removed", report.service, stream, None, None,
                                           f"the whole stream is missing (signed head: version {head_version})"))
            continue
        stored = versions.get(head_version)
        if stored is None:
            if (stream, head_version) not in named:
                report.findings.append(Finding("removed", report.service, stream, head_version, None,
                                               "the signed head event of the stream is missing"))
        elif stored.event is not None and stored.event.hash != head_hash and (stream, head_version) not in named:
            report.findings.append(Finding("altered", report.service, stream, head_version, stored.position,
                                           "differs from the signed head of its stream"))
    for stream, versions in present.items():
        signed_version = heads.get(stream, [0])[0]
        for version, stored in versions.items():
            if version <= signed_version:
                continue
            if stored.position <= latest.position:
                report.findings.append(Finding("inserted", report.service, stream, version, stored.position,
                                               "not covered by the checkpoint that covers its position"))
            elif (stream, version) in named:
                for i, finding in enumerate(report.findings):
                    if (finding.stream_id, finding.version) == (stream, version) and finding.kind == "altered":
                        report.findings[i] = Finding("inserted", report.service, stream, version, stored.position,
                                                     "recorded after the last checkpoint and does not chain")
            else:
                report.unsigned_events += 1
