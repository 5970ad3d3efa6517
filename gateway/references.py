"""Ids a command names of records kept elsewhere, checked against the read models before it runs.

A service never replays another service's aggregates to check an id it is given, so the gateway does it from
the read side: a directive of the caller's group (group workbench), a person on the roster of an item's unit
(people), a member of the item's group (membership). An id that fails is a 422 naming the field at fault. A
directive of another group is answered exactly like a missing one: its existence is not the caller's to know.
"""

from __future__ import annotations

from typing import Any

from authz import Permission, Principal
from gateway.deps import GatewayRuntime
from projections.group_workbench import view as workbench_view
from projections.people import view as people_view
from services.common.errors import InvalidInputError
from services.ledgers.interface import GetDirective, GetItem


class UnknownReferenceError(InvalidInputError):
    """An id a command names that the read models do not know for the caller (422, with the field)."""

    code = "unknown_reference"

    def __init__(self, field: str, message: str, code: str | None = None) -> None:
        super().__init__(message, code)
        self.field = field


def group_of(principal: Principal) -> str | None:
    """The caller's group: the one whose directives, members and items a reference may name."""
    return principal.group_id if principal.org_kind == "group" else None


def _directive_scope(runtime: GatewayRuntime, principal: Principal, directive_id: str) -> tuple[str, str | None] | None:
    group_id = group_of(principal)
    if group_id is None:
        return None
    with runtime.read_models.db.transaction() as tx:
        return workbench_view.directive_scope(tx, directive_id, group_id)


def directive_of_group(runtime: GatewayRuntime, principal: Principal, directive_id: str,
                       field: str = "directive_id") -> tuple[str, str | None]:
    """(group, unit) of a directive in the caller's group's ledger (the group workbench read model): the one
    check of a directive id another service's command carries (supervision activities, meeting supervision).
    Missing and another group's are one answer."""
    found = _directive_scope(runtime, principal, directive_id)
    if found is None:
        raise UnknownReferenceError(field, f"本组台账中没有该指示批示 (no such directive in your group's ledger): "
                                           f"{directive_id}", code="unknown_directive")
    return found


def check_follower(runtime: GatewayRuntime, group_id: str | None, follower: str) -> None:
    """专人督办: the follower is the user id of a member of the item's group. A blank one is left to the
    aggregate's own rule (follower_required)."""
    if not follower.strip():
        return
    if group_id is None or runtime.authenticator.membership.member(follower.strip(), group_id) is None:
        raise UnknownReferenceError("follower", f"督办人须为本组成员 (the follower must be a member of the group): "
                                                f"{follower}", code="follower_not_member")


def check_owner_person(runtime: GatewayRuntime, unit_id: str | None, owner_person_id: str | None) -> None:
    """The owner's person id is a person of the roster of the item's unit (the people read model)."""
    if not owner_person_id:
        return
    with runtime.read_models.db.transaction() as tx:
        name = people_view.roster_name(tx, owner_person_id, unit_id) if unit_id else None
    if name is None:
        raise UnknownReferenceError("owner_person_id", f"责任人须为该单位名册中的人员 (the owner must be a person on "
                                                       f"the unit's roster): {owner_person_id}",
                                    code="owner_not_on_roster")


# -- the checks of routes (gateway.routes.operation_route's `check`) ---------------------------------------
# A command addressed to a record the caller may not know answers 404 before any 422 of these checks: where the
# read model cannot tell (another group's record, or one not yet projected), the record is read through its
# service under the command's own permission, which answers exactly what the command would.
def new_item(operation: Any, permission: Permission, runtime: GatewayRuntime) -> None:
    """A new item (ledgers.AddItem): its follower a member of the directive's group, its owner a person of the
    directive's unit."""
    scope = _directive_scope(runtime, permission.principal, operation.directive_id)
    if scope is None:
        directive = runtime.services.run(GetDirective(directive_id=operation.directive_id), permission)
        scope = (directive.group_id, directive.unit_id)
    check_follower(runtime, scope[0], operation.follower)
    check_owner_person(runtime, scope[1], operation.owner_person_id)


def follower(operation: Any, permission: Permission, runtime: GatewayRuntime) -> None:
    """A follower named for an item (ledgers.AssignFollower): a member of the caller's group, the only group whose
    items the caller may record on."""
    try:
        check_follower(runtime, group_of(permission.principal), operation.follower)
    except UnknownReferenceError:
        runtime.services.run(GetItem(item_id=operation.item_id), permission)  # a stranger's item: its 404 first
        raise


def default_follower(operation: Any, permission: Permission, runtime: GatewayRuntime) -> None:
    """The group's default follower (ledgers.SetDefaultFollower): a member of that group. For another group the
    service's own refusal is the answer."""
    if operation.group_id == group_of(permission.principal):
        check_follower(runtime, operation.group_id, operation.follower)


def linked_directive(operation: Any, permission: Permission, runtime: GatewayRuntime) -> None:
    """A fact of another service about a unit (`unit_id`, and `group_id` if it names one) linked to a directive
    (`directive_id`, optional): a directive of the caller's group. For a unit the caller's group does not
    supervise the service's own refusal (the 404 of a record one may not know) is the answer."""
    principal = permission.principal
    if not operation.directive_id:
        return
    if (operation.unit_id not in principal.supervised_unit_ids
            or getattr(operation, "group_id", principal.group_id) != group_of(principal)):
        return
    directive_of_group(runtime, principal, operation.directive_id)
