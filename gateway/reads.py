"""How a list (or a read by id) is answered from a read model: paging, freshness, read-your-writes.

A route declares `page: Paging` and `after: After`, builds its query as a function of one transaction, and
returns `await answer(read_models, response, "<projection>", after, query)`. The query and the positions the
read model reflects are read in one transaction, so the positions describe exactly the rows returned.

Read-your-writes: a client that just wrote passes `after=ledgers:123` (the position its command returned);
the answer waits, without holding a worker (an async sleep between checks), at most `WAIT_SECONDS` for the
read model to reach it. If it has not, the answer still comes, marked stale: `freshness.stale` in the body
and `X-Paizhu-Stale: true`. `X-Paizhu-Positions` always names the positions reflected.
"""

from __future__ import annotations

import asyncio
import re
import time
import weakref
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from gateway.deps import ReadModelsAccess
from projections.common.db import Database, Tx
from projections.common.query import DEFAULT_LIMIT, MAX_LIMIT, PageRequest, positions
from services.common.errors import InvalidInputError

T = TypeVar("T")
R = TypeVar("R")

WAIT_SECONDS = 3.0
SERVICES = ("ledgers", "clues", "inspections", "units")
AFTER_PATTERN = r"^(ledgers|clues|inspections|units):[0-9]{1,18}$"


class Freshness(BaseModel):
    positions: dict[str, int] = Field(description="读模型已反映的各服务历史位置 (the history position of each "
                                                  "service this answer reflects)")
    stale: bool = Field(description="未在等待时限内达到所要求的位置，或读模型可能缺少事件 (the read model had not "
                                    "reached a position asked for with `after` when the answer was given, or it "
                                    "may lack events: its source lost them and has not delivered them again)")


class ListPage(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="下一页的游标；无则已到末页 (the cursor of the next page; none on "
                                                "the last page)")
    freshness: Freshness


class Answer(BaseModel, Generic[T]):
    """One record (or one figure set) from a read model, with the positions it reflects."""

    item: T
    freshness: Freshness


async def paging(
    limit: int = Query(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数 (rows per page)"),
    cursor: str | None = Query(default=None, max_length=512, pattern=r"^[A-Za-z0-9_-]+$",
                               description="上一页返回的 next_cursor (the next_cursor of the previous page)"),
) -> PageRequest:
    return PageRequest(limit=limit, cursor=cursor)


async def after_positions(
    after: list[str] = Query(default=[], max_length=4,
                             description="读己之写：等待读模型反映到这些位置，如 `ledgers:123` (read-your-writes: "
                                         "wait until the read model reflects these positions, e.g. `ledgers:123`)"),
) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for value in after:
        if not re.fullmatch(AFTER_PATTERN, value):
            raise InvalidInputError(f"after 参数格式应为 服务:位置 (after must be service:position): {value[:40]}",
                                    code="invalid_after")
        service, _, position = value.partition(":")
        wanted[service] = max(wanted.get(service, 0), int(position))
    return wanted


Paging = Annotated[PageRequest, Depends(paging)]
After = Annotated[dict[str, int], Depends(after_positions)]


def _reflected(tx: Tx, projection: str) -> tuple[dict[str, int], bool]:
    """(the positions the read model reflects, whether it may lack events): `positions` and `lacking` of
    projections.common.query in one statement, one round trip less per read."""
    rows = tx.fetchall(
        "SELECT 'position', service, CAST(position AS TEXT) FROM projection_positions WHERE projection = %s"
        " UNION ALL SELECT 'alarm', source, reason FROM projection_alarms WHERE projection = %s",
        (projection, projection))
    return {str(r[1]): int(r[2]) for r in rows if r[0] == "position"}, any(r[0] == "alarm" for r in rows)


def _reached(reflected: dict[str, int], wanted: dict[str, int]) -> bool:
    return all(reflected.get(service, 0) >= position for service, position in wanted.items())


_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, weakref.WeakKeyDictionary[Database, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary())
"""per event loop (a semaphore belongs to the loop it first waited in), per database: its free connections"""


async def in_transaction(db: Database, work: Callable[[Tx], R]) -> R:
    """`work` in one read-model transaction on a worker thread, once one of the database's connections is
    free: the reads waiting for a connection wait here, on the event loop, instead of each holding a worker
    thread (which the requests' other blocking steps then wait for)."""
    of_loop = _slots.setdefault(asyncio.get_running_loop(), weakref.WeakKeyDictionary())
    slots = of_loop.get(db)
    if slots is None:
        slots = of_loop.setdefault(db, asyncio.Semaphore(max(1, db.max_size)))

    def run() -> R:
        with db.transaction() as tx:
            return work(tx)

    async with slots:
        return await run_in_threadpool(run)


async def answer(read_models: ReadModelsAccess, response: Response, projection: str, after: dict[str, int],
                 query: Callable[[Tx], R], wait_seconds: float = WAIT_SECONDS) -> tuple[R, Freshness]:
    """Run `query` on the read model once it reflects `after` (or the wait ran out), with its freshness."""
    db = read_models.db

    if after:
        deadline = time.monotonic() + wait_seconds
        while (not _reached(await in_transaction(db, lambda tx: positions(tx, projection)), after)
               and time.monotonic() < deadline):
            await asyncio.sleep(0.02)

    def run(tx: Tx) -> tuple[R, dict[str, int], bool]:
        return query(tx), *_reflected(tx, projection)

    result, reflected, incomplete = await in_transaction(db, run)
    # a read model that may lack events (its source lost them) is never fresh, whatever its positions say
    freshness = Freshness(positions=reflected, stale=incomplete or not _reached(reflected, after))
    response.headers["X-Paizhu-Positions"] = ", ".join(f"{s}={p}" for s, p in sorted(reflected.items()))
    response.headers["X-Paizhu-Stale"] = "true" if freshness.stale else "false"
    return result, freshness
