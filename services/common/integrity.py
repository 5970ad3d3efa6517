"""Tamper evidence: signed checkpoints of a service's notification log, and the verifier.

Each stream is a hash chain (`prev_hash` -> `hash`). A checkpoint (Ed25519-signed) covers the whole
notification log up to a position: a running digest of (position, stream, version, hash) and the head
(version, hash) of every stream. The verifier (`verification`, on the raw stored rows) recomputes both
and names each event that was altered, removed, inserted or reordered.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.domain import event

from events.envelope import GENESIS_HASH
from events.plain import plain
from services.common.aggregate import ChainedAggregate, event_fields
from services.common.application import ServiceApplication
from services.common.context import CommandContext
from services.common.verification import (
    CHECKPOINT_NAMESPACE,
    Finding,
    RowDecoder,
    StoreReport,
    checkpoint_log_id,
    checkpoint_statement,
    heads_digest,
    heads_root,
    log_step,
    verify_rows,
)

__all__ = ["CHECKPOINT_NAMESPACE", "CheckpointLog", "Checkpointer", "Finding", "StoreReport", "checkpoint_log_id",
           "verify_store"]


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
             heads_digest: str, signature: str, public_key: str, heads_root: str = "") -> None:
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
        """Sign a checkpoint covering everything recorded so far; None when nothing is new. The store's
        correlation index is brought up to date with it (services.common.case_index)."""
        from services.common.case_history import service_case_index

        position = self._sign(app)
        service_case_index(app).catch_up()
        return position

    def _sign(self, app: ServiceApplication) -> int | None:
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
                digest = log_step(digest, notification.id, stream, notification.originator_version,
                               domain_event.hash)
                changed[stream] = [notification.originator_version, domain_event.hash]
                last = notification.id
            if last == log.position:
                return None
            heads = {**log.heads, **changed}
            digest_of_heads = heads_digest(heads)
            root = heads_root(heads)
            signature = self.key.sign(checkpoint_statement(app.name, last, digest, digest_of_heads, root))
            log.sign(position=last, log_digest=digest, changed_heads=changed, heads_digest=digest_of_heads,
                     signature=base64.b64encode(signature).decode(), public_key=self.public_key, heads_root=root)
            app.save(log)
            return last


def domain_fields(app: ServiceApplication) -> Callable[[Any], dict[str, Any]]:
    """The slow, exact way of reading a stored row: its domain event, as the plain fields its hash covers."""

    def fields(row: Any) -> dict[str, Any]:
        return plain(event_fields(app.mapper.to_domain_event(row)))

    return fields


def verify_store(
    app: ServiceApplication, public_key_b64: str, progress: Callable[[int], None] | None = None
) -> StoreReport:
    """Walk a service's store: every hash chain, every signed checkpoint (see `verification`)."""
    decoder = RowDecoder(app.mapper.cipher, app.mapper.compressor, domain_fields(app))
    return verify_rows(app.name, _notifications(app, 0), public_key_b64, decoder, progress)
