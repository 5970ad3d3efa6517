"""JSON-able views of rounds and activities returned by the queries (no sealed content, no plaintext clues)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.inspections.activities import SupervisionActivity
from services.inspections.domainmodel import InspectionRound


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def round_summary(inspection_round: InspectionRound) -> dict[str, Any]:
    round_id = str(inspection_round.id)
    return {
        "round_id": round_id,
        "group_id": inspection_round.group_id,
        "unit_id": inspection_round.unit_id,
        "title": inspection_round.title,
        "team_id": inspection_round.team_id,
        "member_ids": list(inspection_round.member_ids),
        "status": inspection_round.status,
        "is_open": inspection_round.is_open,
        "distribution": f"inspection:{round_id}",
        "phases": {name: {"start": start.isoformat(), "end": end.isoformat()}
                   for name, (start, end) in inspection_round.phases.items()},
    }


def round_view(inspection_round: InspectionRound) -> dict[str, Any]:
    view = round_summary(inspection_round)
    view.update(
        opened_at=plain(inspection_round.opened_at),
        closed_at=plain(inspection_round.closed_at),
        closing_summary=inspection_round.closing_summary,
        packages=plain(inspection_round.packages),
        handed_over_clues=[
            {"clue_id": clue_id, **plain(record)} for clue_id, record in inspection_round.handed_over_clues.items()
        ],
        # the sealed token is for the clues service only; the round shows that a referral was made
        referrals=[
            {"referral_id": rid, "content_hash": r["content_hash"], "referred_at": plain(r["referred_at"])}
            for rid, r in inspection_round.referrals.items()
        ],
        requests=[{"request_id": rid, **plain(r)} for rid, r in inspection_round.requests.items()],
        findings=[{"finding_id": fid, **plain(f)} for fid, f in inspection_round.findings.items()],
        look_backs=[{"look_back_id": lid, **plain(lb)} for lid, lb in inspection_round.look_backs.items()],
        version=inspection_round.version,
    )
    return view


def activity_view(activity: SupervisionActivity) -> dict[str, Any]:
    findings = []
    for finding_id, finding in activity.findings.items():
        entry: dict[str, Any] = {"finding_id": finding_id, "summary": finding["summary"],
                                 "outcome": finding["outcome"]}
        if "item" in finding:
            entry["item"] = plain(finding["item"])
        if "referral" in finding:
            entry["referral"] = {"content_hash": finding["referral"]["content_hash"],
                                 "referred_at": plain(finding["referral"]["referred_at"])}
        findings.append(entry)
    return {
        "activity_id": str(activity.id),
        "group_id": activity.group_id,
        "unit_id": activity.unit_id,
        "distribution": activity.default_distribution,
        "kind": activity.kind,
        "title": activity.title,
        "plan": activity.plan,
        "participant_ids": list(activity.participant_ids),
        "methods": list(activity.methods),
        "start_on": activity.start_on.isoformat(),
        "end_on": activity.end_on.isoformat(),
        "leader_id": activity.leader_id,
        "hq_offices": list(activity.hq_offices),
        "topic": activity.topic,
        "status": activity.status,
        "records": plain(activity.records),
        "findings": findings,
        "conclusion": activity.conclusion,
        "version": activity.version,
    }


def unit_item(
    item_id: str, item: dict[str, Any], *, round_id: str | None, activity_id: str | None, unit_id: str,
    group_id: str | None,
) -> dict[str, Any]:
    """A rectification item as the unit addressed by it may see it."""
    return {
        "item_id": item_id, "round_id": round_id, "activity_id": activity_id, "unit_id": unit_id,
        "group_id": group_id, "distribution": "unit", "title": item["title"],
        "description": item["description"], "problem_type": item["problem_type"],
        "responsible_department": item["responsible_department"], "deadline": item["deadline"].isoformat(),
        "completed": item.get("completed", False), "overdue": item.get("overdue", False),
        "progress": [{"summary": p["summary"], "completed": p["completed"], "reported_at": plain(p["reported_at"])}
                     for p in item.get("progress", [])],
    }
