"""Operations on organisations and their members (the account events membership is built from)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from services.common.interface import Command, Id, Name, Result
from services.units.interface.fields import Position

OrgKind = Literal["hq", "group", "inspection_team", "unit", "audit"]
Role = Literal[
    "hq_staff", "hq_leader", "group_leader", "group_deputy", "group_staff", "team_leader", "team_member",
    "unit_party_group", "unit_liaison", "unit_department", "auditor",
]


class OrganisationRecorded(Result):
    org_id: str
    position: Position


class RegisterOrganisation(Command[OrganisationRecorded]):
    """Register an organisation: HQ, a group, an inspection team, a unit (with its supervising group), audit."""

    org_id: Id
    org_kind: OrgKind
    name: Name
    name_en: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""
    supervised_by: Id | None = Field(default=None, description="a unit's supervising group")


class AddOrganisationMember(Command[OrganisationRecorded]):
    """Make a user a member of an organisation with these roles (again: the roles are replaced)."""

    org_id: Id
    user_id: Id
    name: Name
    roles: list[Role] = Field(min_length=1, max_length=5)


class RemoveOrganisationMember(Command[OrganisationRecorded]):
    """End a user's membership of an organisation."""

    org_id: Id
    user_id: Id
    reason: Name
