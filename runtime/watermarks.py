"""Watermarks: how a consumer of a partitioned topic knows which service positions it has fully read.

A relay keys each event by its stream, so a stream's events stay in order on one partition while the
service's positions are spread over all of them. A consumer that read position 120 on partition 0 therefore
knows nothing about position 110 on partition 2. After every batch the broker acknowledged (events up to
position P), the relay of a topic with more than one partition appends a small *watermark* message to every
partition: "every event of this service up to P is in this partition before me". A partition has *passed*
the highest position of an event or watermark read from it; the service position a consumer covers is the
lowest passed position over all partitions of the topic (also those assigned to other consumers: the read
model's table `projection_partitions` holds them). A one-partition topic needs no watermark (its order is the
positions' order) and gets none, so nothing changes for it.

A watermark is recognised by its header, never by decoding its value as an envelope.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

WATERMARK_HEADER = "paizhu-watermark"


def watermark_message(service: str, position: int) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The value and headers of a watermark (the value repeats the position, to be read by a person too)."""
    value = json.dumps({"watermark": {"service": service, "position": position}}).encode("utf-8")
    return value, [(WATERMARK_HEADER, str(position).encode())]


def watermark_of(headers: Iterable[tuple[str, Any]] | None) -> int | None:
    """The position a message's headers declare passed, or None for an event."""
    for key, value in headers or ():
        if key == WATERMARK_HEADER:
            return int(bytes(value).decode() or 0)
    return None
