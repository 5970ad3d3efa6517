"""What the inspections application's parts share: loading a record for a call, scanning them all, today."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import authz
from services.common.application import ServiceApplication
from services.common.context import current
from services.inspections.activities import SupervisionActivity
from services.inspections.domainmodel import InspectionRound
from services.inspections.integration import mapper

A = TypeVar("A")


class InspectionsBase(ServiceApplication):
    integration = mapper


    def _round(self, round_id: str) -> InspectionRound:
        """The round, checked against the permission the call is made under (404 / 403)."""
        found: InspectionRound = self.load(round_id, InspectionRound)
        return found

    def _activity(self, activity_id: str) -> SupervisionActivity:
        """The activity, checked against the permission the call is made under (404 / 403)."""
        found: SupervisionActivity = self.load(activity_id, SupervisionActivity)
        return found

    def scan(self, event_class: type[Any], kind: type[A]) -> Iterator[A]:
        """Every aggregate that recorded such an event, for the service's own work: lists filter what they
        return themselves, the scheduler and the policies act as the system; none is checked one by one."""
        for aggregate_id in self.ids_with(event_class):
            aggregate: Any = self.repository.get(aggregate_id)
            if isinstance(aggregate, kind):
                yield aggregate

    def check_scope(self, scope: authz.Scope) -> None:
        """Check a scope that is no single record (a unit's items) against the call's permission."""
        context = current()
        if context.principal is not None and context.action is not None:
            authz.authorize(context.principal, context.action, scope)

    def readable(self, facts: dict[str, Any]) -> bool:
        """Whether the caller (if any) may see a row with these facts (group_id, unit_id, distribution)."""
        principal = current().principal
        return principal is None or authz.can_read(principal, group_id=facts["group_id"],
                                                   unit_id=facts["unit_id"], distribution=facts["distribution"])
