"""Shared helpers of the units application: the acting member, today's date, the roster, attachments, listings."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from services.common.application import ServiceApplication
from services.common.clock import CHINA_TZ
from services.common.context import current
from services.common.errors import InvalidInputError, NotFoundError
from services.units.attachments import MAX_ATTACHMENTS, validate_attachment
from services.units.blobstore import BlobStore
from services.units.roster import Unit
from services.units.routing import RoutingMatrix


class CreationIndex:
    """Ids of aggregates by the event that created them, read incrementally from the notification log."""

    def __init__(self, app: ServiceApplication) -> None:
        self._app = app
        self._ids: dict[str, list[UUID]] = {}
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    def ids(self, created_event: type[Any]) -> list[UUID]:
        topic = get_topic(created_event)
        with self._lock:
            found = self._ids.setdefault(topic, [])
            position = self._positions.get(topic, 0)
            while True:
                batch = self._app.recorder.select_notifications(
                    start=position + 1, limit=500, topics=[topic]
                )
                if not batch:
                    break
                found.extend(n.originator_id for n in batch)  # type: ignore[misc]
                position = batch[-1].id
            self._positions[topic] = position
            return list(found)


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


class UnitsBase(ServiceApplication):
    """Helpers the command groups of the units application share."""

    blobs: BlobStore
    index: CreationIndex

    def today(self) -> date:
        return self.clock.now().astimezone(CHINA_TZ).date()

    @staticmethod
    def actor() -> dict[str, str]:
        return dict(current().actor)

    def unit(self, unit_id: str) -> Unit:
        try:
            found: Unit = self.load(Unit.create_id(unit_id), Unit)
        except NotFoundError as error:
            raise NotFoundError(f"单位未登记 (unit not registered): {unit_id}", code="unit_not_found") from error
        return found

    def matrix(self, unit: Unit) -> RoutingMatrix:
        matrix: RoutingMatrix = self.load(RoutingMatrix.create_id(unit.group_id, unit.unit_id), RoutingMatrix)
        return matrix

    def all_of(self, created_event: type[Any], kind: type[Any], unit_id: str | None = None) -> list[Any]:
        aggregates: list[Any] = [self.repository.get(i) for i in self.index.ids(created_event)]
        return [a for a in aggregates if isinstance(a, kind) and (unit_id is None or a.unit_id == unit_id)]

    def attachments(self, refs: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
        """Resolve uploaded attachments (sha256 and file name) and check their bytes again."""
        result = []
        for ref in list(refs or ()):
            digest = str(ref.get("sha256") or "").strip().lower()
            data = self.blobs.get(digest)
            if data is None:
                raise InvalidInputError(
                    f"附件未上传或哈希值错误 (attachment not uploaded): {digest or '?'}", code="attachment_not_found"
                )
            result.append(validate_attachment(data, str(ref.get("filename") or ""), digest))
        if len(result) > MAX_ATTACHMENTS:
            raise InvalidInputError(f"附件不能超过 {MAX_ATTACHMENTS} 个 (too many attachments)",
                                    code="too_many_attachments")
        return result
