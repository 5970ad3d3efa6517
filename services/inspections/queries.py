"""Queries of the inspections service: one round, package or activity by id (the lists are the
inspection-handoff read model's)."""

from __future__ import annotations

from services.common.application import query
from services.inspections.base import InspectionsBase
from services.inspections.interface import GetActivity, GetBriefingPackage, GetRound
from services.inspections.views import (
    ActivityView,
    FrozenPackage,
    RoundView,
    activity_view,
    frozen_package,
    round_view,
)


class Queries(InspectionsBase):
    @query
    def get_round(self, q: GetRound) -> RoundView:
        """One round with members and open status, and all its records (referrals without content)."""
        return round_view(self._round(q.round_id))

    @query
    def get_briefing_package(self, q: GetBriefingPackage) -> FrozenPackage:
        """A frozen package's positions and hash, for whoever may read the round's packages."""
        return frozen_package(self._round(q.round_id), q.package_id)

    @query
    def get_activity(self, q: GetActivity) -> ActivityView:
        """One supervision activity with its plan, record and findings."""
        return activity_view(self._activity(q.activity_id))
