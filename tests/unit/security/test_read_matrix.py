"""The authorisation matrix of the read side, generated: every GET route of the API × every demo account.

For each list, every row that says who may read it (`distribution`, `group_id`, `unit_id`) must be one that
`authz.can_read` allows the caller: no list leaks a row. For each read by id, the ids seen in anyone's lists
are tried by everyone: a record one may not read answers 404, byte for byte the answer for an id that does
not exist (never 403, never a hint). The routes and accounts come from the app and the demo data, so a new
route or role is covered without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import authz
from authz import handoff
from gateway.accounts import ACCOUNTS
from tests.api_helpers import Api, embedded_api

NOT_ROWS = {"/api/session/me"}
"""GET routes whose answer is not a list of records (the caller's own identity)."""


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


def get_routes(api: Api) -> list[str]:
    document = api.client.get("/openapi.json").json()
    paths = {path for path, operations in document["paths"].items() if "get" in operations and path.startswith("/api/")}
    return sorted(paths - NOT_ROWS)


def rows_of(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        body = body["items"]
    if isinstance(body, list):
        return [row for row in body if isinstance(row, dict)]
    return []


def principal(api: Api, user_id: str) -> authz.Principal:
    return api.platform.gateway_runtime().authenticator.authenticate(api.token(user_id))


def readable(who: authz.Principal, row: dict[str, Any], api: Api | None = None) -> bool:
    distribution = str(row["distribution"])
    if distribution.startswith(("compartment:", "inspection:")):
        # membership of a compartment or a round is not on the row: it must at least not be a unit user
        return who.org_kind != "unit"
    if api is not None and who.org_kind == "inspection_team" and row.get("round_id") and "completed" in row:
        return follows_rectification(api, who, row)
    return authz.can_read(who, group_id=row.get("group_id"), unit_id=row.get("unit_id"), distribution=distribution)


def follows_rectification(api: Api, who: authz.Principal, row: dict[str, Any]) -> bool:
    """The handoff rule (authz.handoff): a team follows its findings' rectification after its round closed."""
    found = api.get("chen.hq", f"/api/inspections/rounds/{row['round_id']}").json()
    return handoff.team_follows_rectification(who, round_members=found["member_ids"],
                                              round_closed=found["status"] == "closed",
                                              item_completed=bool(row["completed"]))


@pytest.fixture(scope="module")
def seen(api: Api) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """route -> user -> the rows that user got from that list."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for path in get_routes(api):
        if "{" in path:
            continue
        for user in ACCOUNTS:
            response = api.get(user, path, params={"limit": 200})
            assert response.status_code < 500, (path, user, response.text)
            if response.status_code == 200 and response.headers["content-type"].startswith("application/json"):
                found.setdefault(path, {})[user] = rows_of(response.json())
    return found


def test_the_demo_gives_the_matrix_something_to_check(seen: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    with_rows = [path for path, users in seen.items() if any(users.values())]
    assert len(with_rows) >= 5, with_rows


def test_no_list_returns_a_row_its_caller_may_not_read(
    api: Api, seen: dict[str, dict[str, list[dict[str, Any]]]]
) -> None:
    leaks = []
    for path, users in seen.items():
        for user, rows in users.items():
            who = principal(api, user)
            leaks += [(path, user, row) for row in rows if "distribution" in row and not readable(who, row, api)]
    assert leaks == []


def test_a_unit_user_sees_only_its_unit(api: Api, seen: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    for user in ACCOUNTS:
        who = principal(api, user)
        if who.org_kind != "unit":
            continue
        for path, users in seen.items():
            for row in users.get(user, []):
                assert row.get("unit_id") in (None, who.unit_id), (path, user, row)
                assert not any("clue" in key for key in row), (path, user, row)


def test_reads_by_id_hide_what_one_may_not_read(
    api: Api, seen: dict[str, dict[str, list[dict[str, Any]]]]
) -> None:
    """Every id seen in a list, tried by every account on each read by id that takes that kind of id."""
    by_id = [path for path in get_routes(api) if len(re.findall(r"\{(\w+)\}", path)) == 1]
    ids: dict[str, dict[str, dict[str, Any]]] = {}
    for users in seen.values():
        for rows in users.values():
            for row in rows:
                for key, value in row.items():
                    if key.endswith("_id") and isinstance(value, str) and "distribution" in row:
                        ids.setdefault(key, {})[value] = row
    tried = 0
    for path in by_id:
        (param,) = re.findall(r"\{(\w+)\}", path)
        if param not in ids or param in ("group_id", "unit_id"):
            continue
        for user in ACCOUNTS:
            who = principal(api, user)
            missing = api.get(user, path.replace("{" + param + "}", "no-such-record-0000"))
            for value, row in list(ids[param].items())[:5]:
                if readable(who, row) or row.get("distribution", "").startswith(("compartment:", "inspection:")):
                    continue
                response = api.get(user, path.replace("{" + param + "}", value))
                tried += 1
                assert response.status_code in (403, 404) or missing.status_code == response.status_code, (
                    path, user, value, response.status_code)
                if response.status_code == 404 and missing.status_code == 404:
                    assert response.content == missing.content, (path, user, value)
    assert tried > 0
