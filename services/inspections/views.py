"""What the queries return: rounds, activities and unit items as result models, built from the aggregates.

No view carries sealed content, any plaintext of a referred clue or any hash of it (an unkeyed hash of a guessed
content would confirm the guess): a referral shows that it was made, and when.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.common.interface import Result
from services.inspections.activities import SupervisionActivity
from services.inspections.domainmodel import InspectionRound
from services.inspections.fields import (
    ActivityKind,
    ActivityStatus,
    Direction,
    FindingOutcome,
    FindingStatus,
    Method,
    ProblemType,
    ProgressSource,
    RoundStatus,
)


class PhaseDates(Result):
    start: date
    end: date


class RoundSummary(Result):
    """A round with what the authoriser needs: its group and unit, members, whether it is open."""

    round_id: str
    group_id: str
    unit_id: str
    title: str
    team_id: str
    member_ids: list[str]
    status: RoundStatus
    is_open: bool
    distribution: str
    phases: dict[str, PhaseDates]


class PackageView(Result):
    package_id: str
    positions: dict[str, int]
    content_hash: str
    frozen_at: datetime


class HandedOverClueView(Result):
    clue_id: str
    reason: str
    handed_over_at: datetime


class ReferralView(Result):
    """That a referral was made: never its sealed token, its content or a hash of it."""

    referral_id: str
    referred_at: datetime


class RequestView(Result):
    request_id: str
    direction: Direction
    question: str
    deadline: date
    requested_at: datetime
    answer: str | None
    answered_at: datetime | None
    overdue: bool


class ProgressView(Result):
    summary: str
    completed: bool
    source: ProgressSource
    source_ref: str | None
    reported_at: datetime


class FindingView(Result):
    finding_id: str
    title: str
    description: str
    problem_type: ProblemType
    responsible_department: str
    deadline: date
    status: FindingStatus
    progress: list[ProgressView]
    completed: bool
    overdue: bool
    handed_over_at: datetime | None = None


class LookBackView(Result):
    look_back_id: str
    due_on: date
    scope: str
    conclusion: str | None
    reopened: list[str]
    completed_at: datetime | None


class RoundView(RoundSummary):
    opened_at: datetime | None
    closed_at: datetime | None
    closing_summary: str | None
    packages: list[PackageView]
    handed_over_clues: list[HandedOverClueView]
    referrals: list[ReferralView]
    requests: list[RequestView]
    findings: list[FindingView]
    look_backs: list[LookBackView]
    version: int


class FrozenPackage(Result):
    """A frozen briefing package as recorded: the positions it was built from and its hash."""

    round_id: str
    unit_id: str
    package_id: str
    positions: dict[str, int]
    content_hash: str
    frozen_at: datetime


class WorkView(Result):
    method: Method
    held_on: date
    summary: str
    participant_ids: list[str]


class ItemFields(Result):
    title: str
    description: str
    problem_type: ProblemType
    responsible_department: str
    deadline: date


class ActivityReferralView(Result):
    """That a finding was referred as a clue: never its sealed token, its content or a hash of it."""

    referred_at: datetime


class ActivityFindingView(Result):
    finding_id: str
    summary: str
    outcome: FindingOutcome | None
    item: ItemFields | None = None
    referral: ActivityReferralView | None = None


class ActivityView(Result):
    activity_id: str
    group_id: str
    unit_id: str
    distribution: str
    kind: ActivityKind
    title: str
    plan: str
    participant_ids: list[str]
    methods: list[Method]
    start_on: date
    end_on: date
    leader_id: str | None
    hq_offices: list[str]
    topic: str | None
    directive_id: str | None = None
    stage: str | None = None
    status: ActivityStatus
    records: list[WorkView]
    findings: list[ActivityFindingView]
    conclusion: str | None
    version: int




def _summary(inspection_round: InspectionRound) -> dict[str, Any]:
    round_id = str(inspection_round.id)
    return {
        "round_id": round_id, "group_id": inspection_round.group_id, "unit_id": inspection_round.unit_id,
        "title": inspection_round.title, "team_id": inspection_round.team_id,
        "member_ids": list(inspection_round.member_ids), "status": inspection_round.status,
        "is_open": inspection_round.is_open, "distribution": f"inspection:{round_id}",
        "phases": {name: {"start": start, "end": end} for name, (start, end) in inspection_round.phases.items()},
    }


def round_view(inspection_round: InspectionRound) -> RoundView:
    return RoundView.model_validate(_summary(inspection_round) | {
        "opened_at": inspection_round.opened_at,
        "closed_at": inspection_round.closed_at,
        "closing_summary": inspection_round.closing_summary,
        "packages": inspection_round.packages,
        "handed_over_clues": [{"clue_id": clue_id, **record}
                              for clue_id, record in inspection_round.handed_over_clues.items()],
        # the sealed token is for the clues service only, and the content's hash stays in the store (it would
        # let whoever reads the round confirm a guessed content): the round shows that a referral was made
        "referrals": [{"referral_id": rid, "referred_at": r["referred_at"]}
                      for rid, r in inspection_round.referrals.items()],
        "requests": [{"request_id": rid, **r} for rid, r in inspection_round.requests.items()],
        "findings": [{"finding_id": fid, **f} for fid, f in inspection_round.findings.items()],
        "look_backs": [{"look_back_id": lid, **lb} for lid, lb in inspection_round.look_backs.items()],
        "version": inspection_round.version,
    })


def frozen_package(inspection_round: InspectionRound, package_id: str) -> FrozenPackage:
    return FrozenPackage.model_validate(
        {"round_id": str(inspection_round.id), "unit_id": inspection_round.unit_id,
         **inspection_round.package(package_id)}
    )


def activity_view(activity: SupervisionActivity) -> ActivityView:
    findings = []
    for finding_id, finding in activity.findings.items():
        entry: dict[str, Any] = {"finding_id": finding_id, "summary": finding["summary"],
                                 "outcome": finding["outcome"], "item": finding.get("item")}
        if "referral" in finding:
            entry["referral"] = {"referred_at": finding["referral"]["referred_at"]}
        findings.append(entry)
    return ActivityView.model_validate({
        "activity_id": str(activity.id), "group_id": activity.group_id, "unit_id": activity.unit_id,
        "distribution": activity.default_distribution, "kind": activity.kind, "title": activity.title,
        "plan": activity.plan, "participant_ids": list(activity.participant_ids), "methods": list(activity.methods),
        "start_on": activity.start_on, "end_on": activity.end_on, "leader_id": activity.leader_id,
        "hq_offices": list(activity.hq_offices), "topic": activity.topic,
        "directive_id": activity.directive_id, "stage": activity.stage,
        "status": activity.status,
        "records": activity.records, "findings": findings, "conclusion": activity.conclusion,
        "version": activity.version,
    })
