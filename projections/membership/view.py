"""Queries of the membership read model: who is an active member of which organisation, in which roles."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from projections.common.db import Database, Tx
from projections.membership.projection import Membership


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str
    org_id: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    org_id: str
    kind: str
    """hq | group | inspection_team | unit | audit"""
    name: str
    name_en: str
    supervises: tuple[str, ...] = ()
    """for a group: the units it is resident in"""

    @property
    def unit_id(self) -> str | None:
        return self.org_id if self.kind == "unit" else None


class MembershipView:
    """Read side of projections.membership (the gateway asks it on every request: small, indexed reads).

    With `generation` (a number the process raises each time the membership read model has committed a
    change, e.g. its in-process projector's batches), a user's membership of an organisation is kept in
    memory and answered from there while the number has not moved: correct, since the answer was read no
    earlier than the generation it is stored under. A read model written by another process (distributed
    mode) gives `CommittedGeneration`: the generation the membership projector committed, read at most every
    so many milliseconds. Without a generation every call reads the database."""

    CACHED = 10_000
    """memberships kept at most (then the cache starts again)"""

    def __init__(self, db: Database, generation: Callable[[], int] | None = None) -> None:
        self.db = db
        self._generation = generation
        self._cache: dict[tuple[str, str], tuple[int, tuple[Member, Organisation] | None]] = {}
        self._lock = threading.Lock()

    def organisation(self, org_id: str) -> Organisation | None:
        with self.db.transaction() as tx:
            return _organisation(tx, org_id)

    def membership(self, user_id: str, org_id: str) -> tuple[Member, Organisation] | None:
        """The user's active membership of this organisation with the organisation (one statement)."""
        if self._generation is None:
            return self._membership(user_id, org_id)
        generation = self._generation()  # read before the database: a change after it invalidates the entry
        cached = self._cache.get((user_id, org_id))
        if cached is not None and cached[0] == generation:
            return cached[1]
        found = self._membership(user_id, org_id)
        with self._lock:
            if len(self._cache) >= self.CACHED:
                self._cache.clear()
            self._cache[(user_id, org_id)] = (generation, found)
        return found

    def _membership(self, user_id: str, org_id: str) -> tuple[Member, Organisation] | None:
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT m.user_id, m.name, m.org_id, m.roles, o.kind, o.name, o.name_en, s.unit_id"
                " FROM membership_members m JOIN membership_orgs o ON o.org_id = m.org_id"
                " LEFT JOIN membership_supervision s ON s.group_id = o.org_id"
                " WHERE m.user_id = %s AND m.org_id = %s ORDER BY s.unit_id", (user_id, org_id))
        if not rows:
            return None
        first = rows[0]
        kind = str(first[4])
        supervises = tuple(str(r[7]) for r in rows if r[7] is not None) if kind == "group" else ()
        return _member(first[:4]), Organisation(str(first[2]), kind, str(first[5]), str(first[6]), supervises)

    def member(self, user_id: str, org_id: str) -> Member | None:
        """The user's active membership of this organisation, if any."""
        with self.db.transaction() as tx:
            row = tx.fetchone("SELECT user_id, name, org_id, roles FROM membership_members"
                              " WHERE user_id = %s AND org_id = %s", (user_id, org_id))
        return _member(row) if row else None

    def memberships(self, user_id: str) -> list[Member]:
        with self.db.transaction() as tx:
            rows = tx.fetchall("SELECT user_id, name, org_id, roles FROM membership_members WHERE user_id = %s"
                               " ORDER BY org_id", (user_id,))
        return [_member(r) for r in rows]

    def members_of(self, org_id: str) -> list[Member]:
        with self.db.transaction() as tx:
            rows = tx.fetchall("SELECT user_id, name, org_id, roles FROM membership_members WHERE org_id = %s"
                               " ORDER BY user_id", (org_id,))
        return [_member(r) for r in rows]

    def people(self, users: Iterable[str], prefer_org: str | None = None) -> dict[str, tuple[Member, Organisation]]:
        """Each named user's membership (the one in `prefer_org` if they have it) with its organisation."""
        found: dict[str, tuple[Member, Organisation]] = {}
        for user in dict.fromkeys(users):
            memberships = self.memberships(user)
            chosen = next((m for m in memberships if m.org_id == prefer_org), memberships[0] if memberships else None)
            org = self.organisation(chosen.org_id) if chosen else None
            if chosen is not None and org is not None:
                found[user] = (chosen, org)
        return found


class CommittedGeneration:
    """The membership read model's generation as committed in the database (`membership_generation`, raised
    in the projector's transaction with the change), read at most every `max_age` seconds.

    The bound: a value read by a query started at t is used until t + max_age at the latest, and a query
    started after a change committed sees the change's generation; so a `MembershipView` keyed by it answers
    a committed change (a member removed) at most `max_age` late, never later. A failed read raises (nothing
    is answered from memory then). While the read model's recorded schema is not the one that keeps the
    generation (a projector of an older version writes it), every call returns a new number: no caching."""

    def __init__(self, db: Database, max_age: float = 0.25, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.max_age = max_age
        self.clock = clock
        self._read: tuple[float, int] | None = None  # (when the query started, its generation)
        self._uncached = itertools.count(-1, -1)
        self._lock = threading.Lock()

    def __call__(self) -> int:
        read = self._read
        if read is not None and self.clock() - read[0] < self.max_age:
            return read[1]
        started = self.clock()
        with self.db.transaction() as tx:
            row = tx.fetchone(
                "SELECT (SELECT generation FROM membership_generation WHERE one = 1),"
                " (SELECT version FROM projection_schema WHERE name = %s)", (Membership.name,))
        if row is None or row[1] is None or int(row[1]) != Membership.schema_version:
            return next(self._uncached)
        generation = int(row[0] or 0)
        with self._lock:
            if self._read is None or self._read[0] < started:
                self._read = (started, generation)
        return generation


def _organisation(tx: Tx, org_id: str) -> Organisation | None:
    row = tx.fetchone("SELECT org_id, kind, name, name_en FROM membership_orgs WHERE org_id = %s", (org_id,))
    if row is None:
        return None
    units = tx.fetchall("SELECT unit_id FROM membership_supervision WHERE group_id = %s ORDER BY unit_id", (org_id,))
    return Organisation(str(row[0]), str(row[1]), str(row[2]), str(row[3]),
                        tuple(str(u[0]) for u in units) if row[1] == "group" else ())


def _member(row: tuple[object, ...]) -> Member:
    return Member(str(row[0]), str(row[1]), str(row[2]), tuple(json.loads(str(row[3]))))
