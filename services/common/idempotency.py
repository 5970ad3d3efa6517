"""Idempotency keys of commands: a retried command returns its first result and records nothing new.

A command run under a key records an `IdempotencyRecord` (id: uuid5 of service, user, operation and key)
in the same `record()` call, so in the same transaction, as the command's own events: whatever crashes
after that commit, a retry finds the key and does not run the command again. The command's result is kept
on the record right after; the retry returns it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

NAMESPACE = uuid5(NAMESPACE_URL, "https://paizhu.example/idempotency-key")
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,128}$")
"""What a key may be: 1-128 visible ASCII characters (a UUID is what clients usually send)."""


def check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise InvalidInputError(
            "幂等键须为1至128个可见ASCII字符 (Idempotency-Key must be 1-128 visible ASCII characters)",
            code="invalid_idempotency_key",
        )
    return key


def record_id(service: str, user: str, operation: str, key: str) -> UUID:
    return uuid5(NAMESPACE, json.dumps([service, user, operation, key]))


def fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class IdempotencyRecord(ChainedAggregate):
    """A command run under an idempotency key: what was asked (a digest), then what it answered.

    Private to its service: never published, nobody reads it but the service's `execute`."""

    default_distribution = "group"

    @staticmethod
    def create_id(key_id: str) -> UUID:
        return UUID(key_id)

    @event("Started")
    def __init__(self, key_id: str, operation: str, fingerprint: str) -> None:
        self.operation = operation
        self.fingerprint = fingerprint
        self.result: str | None = None

    @event("Answered")
    def answer(self, result: str) -> None:
        self.result = result

    def access_scope(self) -> None:
        return None


@dataclass
class Pending:
    """The key of the command now running: `record()` saves it with the command's first write."""

    id: UUID
    operation: str
    fingerprint: str
    record: IdempotencyRecord | None = None

    def new_record(self) -> IdempotencyRecord:
        self.record = IdempotencyRecord(key_id=str(self.id), operation=self.operation,
                                        fingerprint=self.fingerprint)
        return self.record


class KeyTaken(Exception):
    """Another request with the same key committed first (a concurrent retry)."""

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__(str(record.id))
        self.record = record


def repeat(existing: IdempotencyRecord, pending: Pending) -> Any:
    """The stored answer of a repeated command (JSON), or why it cannot be given."""
    if existing.fingerprint != pending.fingerprint or existing.operation != pending.operation:
        raise ConflictError(
            "该幂等键已用于另一请求 (this Idempotency-Key was used for a different request)",
            code="idempotency_key_reused",
        )
    if existing.result is None:
        raise ConflictError(
            "该请求已记录，结果尚未就绪，请稍后重试 (this request is recorded; its result is not ready, retry later)",
            code="idempotent_request_in_progress",
        )
    return json.loads(existing.result)
