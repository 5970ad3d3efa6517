"""Lists from read models: filters, a sort, keyset (cursor) paging, and the positions a read model reflects.

A view builds its query from a fixed SELECT, `Clause`s (the authoriser's `read_filter` first, then the
user's filters) and one of its allowed sorts; `fetch_page` adds the cursor condition, the order and the
limit. The cursor is opaque to the client: the last row's sort value and key, and the sort's name (a cursor
of another sort is refused). Paging by key, not OFFSET, keeps page 1,000 as cheap as page 1.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from authz.filters import Clause
from projections.common.db import Tx
from services.common.errors import InvalidInputError

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class InvalidCursorError(InvalidInputError):
    code = "invalid_cursor"


@dataclass(frozen=True)
class Sort:
    """`expr` is a NOT NULL SQL expression of the query (COALESCE a nullable column); `key` is unique."""

    name: str
    expr: str
    key: str
    descending: bool = False


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(sort: Sort, value: Any, key: Any) -> str:
    raw = json.dumps([sort.name, value, key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(sort: Sort, cursor: str) -> tuple[Any, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, value, key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise InvalidCursorError("分页游标无效 (invalid cursor)") from error
    if name != sort.name or isinstance(value, (list, dict)) or isinstance(key, (list, dict)):
        raise InvalidCursorError("分页游标与排序不符 (the cursor belongs to another sort)")
    return value, key


def where(clauses: Sequence[Clause]) -> Clause:
    """The conjunction of these clauses (the authoriser's first)."""
    if not clauses:
        return Clause("1 = 1")
    sql = " AND ".join(f"({c.sql})" for c in clauses)
    return Clause(sql, tuple(p for c in clauses for p in c.params))


def fetch_page(tx: Tx, select: str, columns: Sequence[str], clauses: Sequence[Clause], sort: Sort,
               request: PageRequest) -> Page:
    """One page of `select` (which has no WHERE/ORDER/LIMIT) filtered by `clauses`, in `sort` order.

    `columns` name the selected columns, in order; two extra columns (the sort value and key) are added.
    """
    return fetch_union_page(tx, (select,), columns, clauses, sort, request)


def fetch_union_page(tx: Tx, selects: Sequence[str], columns: Sequence[str], clauses: Sequence[Clause], sort: Sort,
                     request: PageRequest) -> Page:
    """One page of the union of `selects` (each as `fetch_page` takes it, with the same `columns`), the same rows
    and cursors as `fetch_page` over `(a UNION ALL b ...)`, in one statement: each select is filtered, ordered
    and limited to the page on its own (where its table's index serves the order), then the pages are merged.
    A union filtered and ordered as a whole sorts every row of it (issue #12: the HQ alert list at 100 groups)."""
    limit = max(1, min(int(request.limit), MAX_LIMIT))
    conditions = list(clauses)
    if request.cursor:
        value, key = decode_cursor(sort, request.cursor)
        op = "<" if sort.descending else ">"
        conditions.append(Clause(f"({sort.expr} {op} %s OR ({sort.expr} = %s AND {sort.key} {op} %s))",
                                 (value, value, key)))
    condition = where(conditions)
    direction = "DESC" if sort.descending else "ASC"
    pages = []
    for select in selects:
        head, _, tail = select.partition(" FROM ")
        pages.append(f"{head}, {sort.expr} AS sort_value__, {sort.key} AS sort_key__ FROM {tail}"
                     f" WHERE {condition.sql} ORDER BY {sort.expr} {direction}, {sort.key} {direction} LIMIT %s")
    if len(pages) == 1:
        sql, params = pages[0], (*condition.params, limit + 1)
    else:
        sql = (" UNION ALL ".join(f"SELECT * FROM ({page}) page{n}" for n, page in enumerate(pages))
               + f" ORDER BY sort_value__ {direction}, sort_key__ {direction} LIMIT %s")
        params = (*condition.params, limit + 1) * len(pages) + (limit + 1,)
    fetched = tx.fetchall(sql, params)
    rows = [dict(zip(columns, row[:-2], strict=True)) for row in fetched[:limit]]
    next_cursor = None
    if len(fetched) > limit:
        last = fetched[limit - 1]
        next_cursor = encode_cursor(sort, _plain(last[-2]), _plain(last[-1]))
    return Page(rows, next_cursor)


def sort_named(sorts: Mapping[str, Sort], name: str | None, default: str) -> Sort:
    """The allowed sort of this name (`-name` for descending is part of the name in `sorts`)."""
    found = sorts.get(name or default)
    if found is None:
        raise InvalidInputError(f"不支持的排序 (unknown sort): {name}; 可选 (allowed): {', '.join(sorts)}",
                                code="invalid_sort")
    return found


def positions(tx: Tx, projection: str) -> dict[str, int]:
    """The history positions (per service) this read model reflects."""
    rows = tx.fetchall("SELECT service, position FROM projection_positions WHERE projection = %s", (projection,))
    return {str(service): int(position) for service, position in rows}


def lacking(tx: Tx, projection: str) -> dict[str, str]:
    """The sources this read model may lack events of (source -> why): a topic that lost events or was made
    again, until it delivered again what had been applied. While any is listed the read model is not fresh."""
    rows = tx.fetchall("SELECT source, reason FROM projection_alarms WHERE projection = %s", (projection,))
    return {str(source): str(reason) for source, reason in rows}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
