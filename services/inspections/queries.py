"""Queries of the inspections service: one round or activity, small lists, a unit's rectification items."""

from __future__ import annotations

from authz import Scope
from services.common.application import query
from services.inspections.activities import SupervisionActivity
from services.inspections.base import InspectionsBase
from services.inspections.domainmodel import InspectionRound
from services.inspections.interface import (
    GetActivity,
    GetBriefingPackage,
    GetRound,
    ListActivities,
    ListRounds,
    UnitRectificationItems,
)
from services.inspections.views import (
    ActivityView,
    FrozenPackage,
    RoundSummary,
    RoundView,
    UnitItem,
    activity_view,
    frozen_package,
    round_summary,
    round_view,
    unit_item,
)
from services.inspections.vocab import FINDING_HANDED_OVER


class Queries(InspectionsBase):
    @query
    def get_round(self, q: GetRound) -> RoundView:
        """One round with members and open status, and all its records (referrals without content)."""
        return round_view(self._round(q.round_id))

    @query
    def list_rounds(self, q: ListRounds) -> list[RoundSummary]:
        """Rounds, optionally of one unit, group or team; each with what authz needs (the route filters)."""
        return [
            round_summary(r) for r in self.scan(InspectionRound.Recorded, InspectionRound)
            if (not q.unit_id or r.unit_id == q.unit_id) and (not q.group_id or r.group_id == q.group_id)
            and (not q.team_id or r.team_id == q.team_id)
        ]

    @query
    def get_briefing_package(self, q: GetBriefingPackage) -> FrozenPackage:
        """A frozen package's positions and hash, for whoever may read the round's packages."""
        return frozen_package(self._round(q.round_id), q.package_id)

    @query
    def unit_rectification_items(self, q: UnitRectificationItems) -> list[UnitItem]:
        """The rectification items addressed to a unit (from rounds and activities): what the unit may see.

        Whoever may not read the unit's items gets 404, as for a record they may not know; of the items,
        each caller gets those their distribution lets them read.
        """
        self.check_scope(Scope(unit_id=q.unit_id))
        items = []
        for inspection_round in self.scan(InspectionRound.FindingHandedOver, InspectionRound):
            if inspection_round.unit_id != q.unit_id:
                continue
            for item_id, item in inspection_round.findings.items():
                if item["status"] == FINDING_HANDED_OVER:
                    items.append(unit_item(item_id, item, round_id=str(inspection_round.id), activity_id=None,
                                           unit_id=q.unit_id, group_id=inspection_round.group_id))
        for activity in self.scan(SupervisionActivity.FindingHandedOver, SupervisionActivity):
            if activity.unit_id != q.unit_id:
                continue
            for finding_id, finding in activity.findings.items():
                if finding["outcome"] == "rectification_item":
                    items.append(unit_item(finding_id, finding["item"], round_id=None,
                                           activity_id=str(activity.id), unit_id=q.unit_id,
                                           group_id=activity.group_id))
        return [i for i in items if self.readable(i.model_dump())]

    @query
    def get_activity(self, q: GetActivity) -> ActivityView:
        """One supervision activity with its plan, record and findings."""
        return activity_view(self._activity(q.activity_id))

    @query
    def list_activities(self, q: ListActivities) -> list[ActivityView]:
        """Supervision activities, optionally of one group, unit or kind (the route filters what it shows)."""
        return [
            activity_view(a) for a in self.scan(SupervisionActivity.Planned, SupervisionActivity)
            if (not q.group_id or a.group_id == q.group_id) and (not q.unit_id or a.unit_id == q.unit_id)
            and (not q.activity_kind or a.kind == q.activity_kind)
        ]
