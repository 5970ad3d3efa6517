"""Reading every page of one of the API's paged list routes (for a page that shows a whole set)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Response

from projections.common.query import MAX_LIMIT, PageRequest

MAX_PAGES = 50


async def every_page(list_route: Callable[..., Any], *, keep: Callable[[Any], bool] = lambda row: True,
                     enough: int | None = None, **arguments: Any) -> list[Any]:
    """The rows `keep` accepts, over the route's pages (at most MAX_PAGES × MAX_LIMIT rows read, and at most
    `enough` kept)."""
    rows: list[Any] = []
    cursor = None
    for _ in range(MAX_PAGES):
        found = await list_route(response=Response(), page=PageRequest(limit=MAX_LIMIT, cursor=cursor), after={},
                                 **arguments)
        rows.extend(row for row in found.items if keep(row))
        cursor = found.next_cursor
        if cursor is None or (enough is not None and len(rows) >= enough):
            break
    return rows[:enough] if enough is not None else rows
