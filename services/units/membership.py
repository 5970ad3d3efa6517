"""Organisations and who belongs to them, in which roles: the account events membership is built from.

An organisation is HQ, a resident group, an inspection team, a unit or the audit office. A unit registered
in the roster is an organisation already; registering it here only adds what the roster does not say.
"""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

ORG_KINDS = ("hq", "group", "inspection_team", "unit", "audit")
ROLES_BY_KIND = {
    "hq": frozenset({"hq_staff", "hq_leader"}),
    "group": frozenset({"group_leader", "group_deputy", "group_staff"}),
    "inspection_team": frozenset({"team_leader", "team_member"}),
    "unit": frozenset({"unit_party_group", "unit_liaison", "unit_department"}),
    "audit": frozenset({"auditor"}),
}
"""The roles a member of each kind of organisation may hold."""

ORG_NAMESPACE = uuid.UUID("5f0c8a61-2b1e-4d7a-9c3e-6f7267616e69")


MembershipError = ConflictError.kind("MembershipError", "membership_conflict")


class Organisation(ChainedAggregate):
    """One organisation and its members; joining and leaving are events, so who belonged when is kept."""

    default_distribution = "hq"

    @staticmethod
    def create_id(org_id: str) -> uuid.UUID:
        return uuid.uuid5(ORG_NAMESPACE, f"org:{org_id}")

    @classmethod
    def register(cls, org_id: str, kind: str, name: str, name_en: str, supervised_by: str | None) -> Organisation:
        if kind not in ORG_KINDS:
            raise InvalidInputError(f"未知机构类型 (unknown organisation kind): {kind}", code="unknown_org_kind")
        if kind == "unit" and not supervised_by:
            raise InvalidInputError("单位须有驻在的纪检监察组 (a unit needs its supervising group)",
                                    code="supervisor_required")
        if kind != "unit" and supervised_by:
            raise InvalidInputError("只有单位由纪检监察组监督 (only a unit is supervised by a group)",
                                    code="supervisor_invalid")
        group_id = org_id if kind == "group" else supervised_by
        return cls(org_id=org_id, kind=kind, name=name.strip(), name_en=name_en.strip(), supervised_by=supervised_by,
                   group_id=group_id, unit_id=org_id if kind == "unit" else None)

    @event("Registered")
    def __init__(self, org_id: str, kind: str, name: str, name_en: str, supervised_by: str | None,
                 group_id: str | None, unit_id: str | None) -> None:
        self.org_id = org_id
        self.kind = kind
        self.name = name
        self.name_en = name_en
        self.supervised_by = supervised_by
        self.group_id = group_id
        self.unit_id = unit_id
        self.members: dict[str, dict[str, Any]] = {}
        self.former: set[str] = set()
        """users whose membership ended (seeding never brings them back)"""

    def access_scope(self) -> None:
        """Membership is system data: recorded by seeding and administration, read through the read model."""
        return None

    def add_member(self, user_id: str, name: str, roles: list[str]) -> None:
        wanted = sorted(set(roles))
        if not wanted:
            raise InvalidInputError("成员须至少有一个角色 (a member needs a role)", code="roles_required")
        foreign = [r for r in wanted if r not in ROLES_BY_KIND[self.kind]]
        if foreign:
            raise InvalidInputError(
                f"角色与机构类型不符 (roles not held in a {self.kind}): {', '.join(foreign)}", code="role_invalid"
            )
        current = self.members.get(user_id)
        if current is not None and current["roles"] == wanted and current["name"] == name.strip():
            raise MembershipError(f"{user_id} 已是成员 (already a member)", code="already_member")
        self._member_added(org_id=self.org_id, user_id=user_id, name=name.strip(), roles=wanted)

    @event("MemberAdded")
    def _member_added(self, org_id: str, user_id: str, name: str, roles: list[str]) -> None:
        self.members[user_id] = {"user_id": user_id, "name": name, "roles": list(roles)}

    def remove_member(self, user_id: str, reason: str) -> None:
        if user_id not in self.members:
            raise MembershipError(f"{user_id} 不是成员 (not a member)", code="not_a_member")
        if not reason.strip():
            raise InvalidInputError("须说明原因 (a reason is required)", code="reason_required")
        self._member_removed(org_id=self.org_id, user_id=user_id, reason=reason.strip())

    @event("MemberRemoved")
    def _member_removed(self, org_id: str, user_id: str, reason: str) -> None:
        del self.members[user_id]
        self.former.add(user_id)
