"""The units service's membership commands: organisations and who belongs to them (kept apart from the channel)."""

from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError

from services.common.application import ServiceApplication, command
from services.common.errors import ConflictError, NotFoundError
from services.units import interface as ops
from services.units.membership import Organisation
from services.units.roster import Unit


class MembershipCommands(ServiceApplication):
    """Register organisations, add and remove members: the account events the gateway's membership is built from."""

    def _organisation(self, org_id: str) -> Organisation:
        """The organisation; a unit known only to the roster becomes one on its first member."""
        try:
            found: Organisation = self.repository.get(Organisation.create_id(org_id))
            return found
        except AggregateNotFoundError:
            pass
        try:
            unit: Unit = self.repository.get(Unit.create_id(org_id))
        except AggregateNotFoundError as error:
            raise NotFoundError(f"机构不存在 (organisation not found): {org_id}", code="org_not_found") from error
        return Organisation.register(org_id, "unit", unit.name, "", unit.group_id)

    @command
    def register_organisation(self, c: ops.RegisterOrganisation) -> ops.OrganisationRecorded:
        """Register an organisation (HQ, group, inspection team, unit with its supervising group, audit)."""
        organisation = Organisation.register(c.org_id, c.org_kind, c.name, c.name_en, c.supervised_by)
        if organisation.id in self.repository:
            raise ConflictError(f"机构已登记 (organisation already registered): {c.org_id}", code="org_exists")
        return ops.OrganisationRecorded(org_id=c.org_id, position=self.record(organisation))

    @command
    def add_organisation_member(self, c: ops.AddOrganisationMember) -> ops.OrganisationRecorded:
        """Make a user a member with these roles (a member added again has their roles replaced)."""
        organisation = self._organisation(c.org_id)
        organisation.add_member(c.user_id, c.name, list(c.roles))
        return ops.OrganisationRecorded(org_id=c.org_id, position=self.record(organisation))

    @command
    def remove_organisation_member(self, c: ops.RemoveOrganisationMember) -> ops.OrganisationRecorded:
        """End a user's membership: their tokens are refused from then on."""
        organisation = self._organisation(c.org_id)
        organisation.remove_member(c.user_id, c.reason)
        return ops.OrganisationRecorded(org_id=c.org_id, position=self.record(organisation))
