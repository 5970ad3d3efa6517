"""The three-level supervision network (三级联动): its positions and vacancies, and its joint work and training.

Seed 000 (搭建监督网络，延伸监督触角): "督促被监督单位配齐配强专兼职机关纪委书记、机关纪委委员和支部纪检委员。建立衔接
机制，形成纪检监察组、单位机关纪委和支部纪检委员三级联动的专责监督落实体系。通过召开联席会议、专题业务培训班、以干代训、
全程指导等方式提高他们的工作能力". The first level is the group itself; the unit's roster holds the two others: the
organ discipline committee (its secretary and members) and a branch discipline member for each branch. A branch is
kept by each bureau and subordinate body (a division's party members belong to its bureau's organisation here), so
each such department without a branch discipline member in post is a vacancy. The posts themselves are the roster's
(`roster.Unit.appoint`); this module reads them and records the network's joint work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import InvalidInputError
from services.units.meetings import person_key, roster_persons

LEVELS = {
    "group": "派驻纪检监察组 (the resident group)",
    "organ_committee": "单位机关纪委 (the unit's organ discipline committee)",
    "branch": "支部纪检委员 (branch discipline members)",
}
NETWORK_POSTS = {"discipline_secretary": "organ_committee", "discipline_member": "organ_committee",
                 "branch_discipline_member": "branch"}
"""The roster's network post kinds and the level each belongs to."""
BRANCH_DEPARTMENT_KINDS = ("bureau", "subordinate")
"""The departments that keep a party branch with its own discipline member."""
ACTIVITY_KINDS = {
    "joint_meeting": "联席会议 (joint meeting)",
    "training": "专题业务培训 (thematic training)",
    "training_by_doing": "以干代训 (training by doing)",
    "guidance": "全程指导 (guidance throughout a case or check)",
}


def network_positions(departments: dict[str, dict[str, Any]], posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every position of the unit's two network levels, with its holders today (none: a vacancy).

    The organ committee has one secretary and at least one member; each active bureau and subordinate body has
    one branch discipline member. A position with no holder is listed with `vacant` true.
    """
    current = [p for p in posts if p["left_on"] is None and p["post_kind"] in NETWORK_POSTS]

    def holders(kind: str, department_id: str | None = None) -> list[dict[str, Any]]:
        return [{"person_id": person_key(p), "person_name": p["person_name"], "title": p["title"],
                 "department_id": p["department_id"], "since": p["since"]}
                for p in current if p["post_kind"] == kind
                and (department_id is None or p["department_id"] == department_id)]

    positions: list[dict[str, Any]] = [
        {"level": "organ_committee", "post_kind": kind, "department_id": None, "department_name": None,
         "holders": holders(kind)}
        for kind in ("discipline_secretary", "discipline_member")
    ]
    for department in departments.values():
        if department["active"] and department["kind"] in BRANCH_DEPARTMENT_KINDS:
            positions.append({
                "level": "branch", "post_kind": "branch_discipline_member",
                "department_id": department["department_id"], "department_name": department["name"],
                "holders": holders("branch_discipline_member", department["department_id"]),
            })
    for position in positions:
        position["vacant"] = not position["holders"]
    return positions


class NetworkActivity(ChainedAggregate):
    """A joint meeting, training, 以干代训 or guidance of the network, with the roster's network members in it."""

    default_distribution = "unit"

    @classmethod
    def record(
        cls, group_id: str, unit_id: str, kind: str, held_on: date, title: str, summary: str,
        posts: list[dict[str, Any]], participant_ids: list[str], assignment: str | None, recorded_by: str,
        today: date,
    ) -> NetworkActivity:
        """An activity after its rules: known kind, a past date, network members of the roster, 以干代训's work."""
        if kind not in ACTIVITY_KINDS:
            raise InvalidInputError(f"未知活动类型 (unknown activity kind): {kind}", code="unknown_kind")
        if held_on > today:
            raise InvalidInputError("不能记录未来的活动 (held in the future)", code="held_in_future")
        if not (title or "").strip():
            raise InvalidInputError("主题不能为空 (title is required)", code="title_required")
        if not (summary or "").strip():
            raise InvalidInputError("情况不能为空 (summary is required)", code="summary_required")
        if not participant_ids:
            raise InvalidInputError("须写明参加的监督网络成员 (name the network members who took part)",
                                    code="participants_required")
        members = roster_persons([p for p in posts if p["post_kind"] in NETWORK_POSTS], participant_ids)
        if kind in ("training_by_doing", "guidance") and not (assignment or "").strip():
            raise InvalidInputError(
                "以干代训和全程指导须写明所参与的工作 (name the work they took part in)", code="assignment_required")
        return cls(
            group_id=group_id, unit_id=unit_id, kind=kind, held_on=held_on, title=title.strip(),
            summary=summary.strip(),
            participants=[{"person_id": person_key(p), "person_name": p["person_name"], "post_kind": p["post_kind"],
                           "level": NETWORK_POSTS[p["post_kind"]], "department_id": p["department_id"]}
                          for p in members],
            assignment=(assignment or "").strip() or None, recorded_by=recorded_by,
        )

    @event("Recorded")
    def __init__(
        self, group_id: str, unit_id: str, kind: str, held_on: date, title: str, summary: str,
        participants: list[dict[str, Any]], assignment: str | None, recorded_by: str,
    ) -> None:
        self._keep(locals())
