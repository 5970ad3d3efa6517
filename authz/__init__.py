"""THE authorisation module: every command and every read in Paizhu asks it.

Principals are users with roles in one organisation (HQ, a group, an inspection team, a unit, audit).
Records carry `group_id`, `unit_id` and a `distribution` (`group`, `hq`, `unit`, `inspection:<round>`,
`compartment:<id>`); commands are actions with a rule each (registered by the `rules_*` modules).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from events.catalog import import_existing
from services.common.errors import ForbiddenError, NotFoundError

GROUP_ROLES = frozenset({"group_leader", "group_deputy", "group_staff"})
GROUP_LEADERSHIP = frozenset({"group_leader", "group_deputy"})
HQ_ROLES = frozenset({"hq_staff", "hq_leader"})
TEAM_ROLES = frozenset({"team_leader", "team_member"})
UNIT_ROLES = frozenset({"unit_party_group", "unit_liaison", "unit_department"})
AUDIT_ROLES = frozenset({"auditor"})


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    org_id: str
    org_kind: str
    roles: frozenset[str]
    group_id: str | None = None
    unit_id: str | None = None
    supervised_unit_ids: frozenset[str] = frozenset()

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & frozenset(roles))

    def to_dict(self) -> dict[str, object]:
        """What crosses to a service with a call (it trusts the gateway through the service token)."""
        return {
            "user_id": self.user_id, "name": self.name, "org_id": self.org_id, "org_kind": self.org_kind,
            "roles": sorted(self.roles), "group_id": self.group_id, "unit_id": self.unit_id,
            "supervised_unit_ids": sorted(self.supervised_unit_ids),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Principal:
        return cls(
            user_id=str(data["user_id"]), name=str(data.get("name", "")), org_id=str(data["org_id"]),
            org_kind=str(data["org_kind"]), roles=frozenset(data.get("roles", ())),
            group_id=data.get("group_id"), unit_id=data.get("unit_id"),
            supervised_unit_ids=frozenset(data.get("supervised_unit_ids", ())),
        )

    @property
    def actor(self) -> dict[str, str]:
        return {"user": self.user_id, "org": self.org_id, "role": sorted(self.roles)[0] if self.roles else ""}


@dataclass(frozen=True)
class Permission:
    """Who calls, under which action; `action` is None for a listing that filters its rows itself."""

    principal: Principal
    action: str | None


@dataclass(frozen=True)
class Rule:
    """Who may perform an action: roles, and the scope the record must be in for them."""

    roles: frozenset[str]
    scope: str = "own"
    """own: a group member in the record's group, a unit user of the record's unit, a team member of
    an open round they belong to, HQ and audit anywhere; any: no scope check (e.g. HQ-wide actions)."""
    description: str = ""
    reads: str | None = None
    """The read action that guards the record's existence for this action (404 for whoever fails it)."""


_rules: dict[str, Rule] = {}


def rule(
    action: str, roles: Iterable[str], scope: str = "own", description: str = "", reads: str | None = None
) -> None:
    if action in _rules:
        raise ValueError(f"rule for {action} defined twice")
    _rules[action] = Rule(frozenset(roles), scope, description, reads)


def rule_of(action: str) -> Rule | None:
    return _rules.get(action)


def rules() -> dict[str, Rule]:
    return dict(_rules)


@dataclass(frozen=True)
class Scope:
    """The facts about a record the decision needs."""

    group_id: str | None = None
    unit_id: str | None = None
    round_id: str | None = None
    round_members: frozenset[str] = field(default_factory=frozenset)
    round_open: bool = False
    compartment: frozenset[str] | None = None
    distribution: str | None = None
    """Who may read the record (see can_read); None: the action's rule alone decides."""


def in_scope(principal: Principal, scope: Scope) -> bool:
    kind = principal.org_kind
    if kind in ("hq", "audit"):
        return True
    if kind == "group":
        resident = scope.unit_id is None or scope.unit_id in principal.supervised_unit_ids
        if scope.group_id is not None:
            return scope.group_id == principal.group_id and resident
        return scope.unit_id is not None and resident
    if kind == "unit":
        return scope.unit_id is not None and scope.unit_id == principal.unit_id
    if kind == "inspection_team":
        return bool(scope.round_id) and scope.round_open and principal.user_id in scope.round_members
    return False


def can(principal: Principal, action: str, scope: Scope | None = None) -> bool:
    """May this principal perform this action on a record with this scope?"""
    found = _rules.get(action)
    if found is None or not principal.has_any(found.roles):
        return False
    scope = scope or Scope()
    if scope.compartment is not None and principal.user_id not in scope.compartment:
        return False
    return found.scope == "any" or in_scope(principal, scope)


def require(
    principal: Principal,
    action: str,
    *,
    hide: bool = False,
    group_id: str | None = None,
    unit_id: str | None = None,
    round_id: str | None = None,
    round_members: Iterable[str] = (),
    round_open: bool = False,
    compartment: Iterable[str] | None = None,
) -> None:
    """Raise ForbiddenError (or NotFoundError with `hide`, where existence itself is secret)."""
    scope = Scope(
        group_id, unit_id, round_id, frozenset(round_members), round_open,
        None if compartment is None else frozenset(compartment),
    )
    if not can(principal, action, scope):
        if hide:
            raise NotFoundError("记录不存在 (not found)")
        raise ForbiddenError(f"无权执行此操作 (not allowed: {action})", code="forbidden")


def can_read(
    principal: Principal,
    *,
    group_id: str | None,
    unit_id: str | None,
    distribution: str,
    round_members: Iterable[str] = (),
    round_open: bool = False,
    compartment: Iterable[str] | None = None,
) -> bool:
    """May this principal see a record with this distribution? (MISP-like levels.)"""
    kind = principal.org_kind
    if distribution.startswith("compartment:") or compartment is not None:
        return compartment is not None and principal.user_id in frozenset(compartment)
    if kind == "group":
        return group_id is not None and group_id == principal.group_id
    if kind in ("hq", "audit"):
        return distribution != "group"
    if kind == "unit":
        return distribution == "unit" and unit_id is not None and unit_id == principal.unit_id
    if kind == "inspection_team":
        return (
            distribution.startswith("inspection:")
            and round_open
            and principal.user_id in frozenset(round_members)
        )
    return False


def authorize(principal: Principal, action: str, scope: Scope) -> None:
    """The decision for an action on an existing record, made where the record is loaded.

    Whoever may not know the record exists gets the same 404 as for a missing one: they fail the read
    action that guards it (the rule's `reads`, else the action itself when the rule hides) or its
    distribution. Whoever may know it but not act on it gets 403.
    """
    found = _rules.get(action)
    guard = found.reads if found is not None and found.reads else action
    readable = can(principal, guard, scope) and (
        scope.distribution is None
        or can_read(principal, group_id=scope.group_id, unit_id=scope.unit_id, distribution=scope.distribution,
                    round_members=scope.round_members, round_open=scope.round_open,
                    compartment=scope.compartment)
    )
    if not readable:
        raise NotFoundError("记录不存在 (not found)")
    if guard != action and not can(principal, action, scope):
        raise ForbiddenError(f"无权执行此操作 (not allowed: {action})", code="forbidden")


def require_read(principal: Principal, **facts: object) -> None:
    """Raise NotFoundError: a record one may not read is, for that person, a record that does not exist."""
    if not can_read(principal, **facts):  # type: ignore[arg-type]
        raise NotFoundError("记录不存在 (not found)")


def load_rules(services: Iterable[str] = ("ledgers", "clues", "inspections", "units", "platform",
                                           "forensics")) -> None:
    import_existing(f"authz.rules_{service}" for service in services)
