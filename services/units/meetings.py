"""Meeting supervision (会议监督) and the key minority (关键少数): the group's direct contact with the unit's leadership.

Seed 000 (紧盯"关键少数"): "通过谈心谈话、专题会商、参加领导班子会等压实管党治党政治责任。派驻机构主要负责同志经常与
'一把手'和领导班子成员交换意见、通报情况"; seed 002 (建立完善"四项机制"): "用好谈心谈话、会议监督方式". Each contact —
a leadership meeting the group attended, an exchange of views with the 一把手, a talk — is one record with what the
group observed, the roster persons concerned (by their roster id) and, where relevant, the directive and stage it
supervised. Thematic consultations are `upward.Consultation` (shared with the unit); these records stay with the
group and HQ. A 三重一大 matter seen at an attended meeting is registered as the existing `power.PowerMatter`
(source `meeting_observation`, its meeting the attended meeting's title), and the meeting keeps the matter's id.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from events.vocab import STAGE_LABELS
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError, NotFoundError

CONTACT_KINDS = {
    "leadership_meeting": "参加领导班子会议 (a leadership meeting attended: 会议监督)",
    "exchange_of_views": "与“一把手”交换意见 (exchange of views with the top leader)",
    "talk": "谈心谈话 (talk with a leader or cadre)",
}
MEETING_KINDS = {
    "party_group_meeting": "党组会议 (party group meeting)",
    "executive_meeting": "部务会议/办公会议 (executive meeting)",
    "theory_study": "党组理论学习中心组学习 (theory study session)",
    "democratic_life": "民主生活会 (democratic life meeting)",
    "special_meeting": "专题会议 (special meeting)",
}
"""The leadership meetings a group attends (only for `leadership_meeting`)."""
KEY_MINORITY_POSTS = ("head", "leadership")
"""The roster's post kinds of the key minority: the 一把手 and the leadership team."""

ContactStateError = ConflictError.kind("ContactStateError", "contact_state")


def _text(value: str | None, label: str, code: str) -> str:
    if not (value or "").strip():
        raise InvalidInputError(f"{label}不能为空 ({code.replace('_', ' ')})", code=code)
    return str(value).strip()


def person_key(post: dict[str, Any]) -> str:
    """The roster id of the person holding a post (the person's id where the roster keeps one)."""
    return str(post.get("person_id") or post["post_id"])


def roster_persons(posts: list[dict[str, Any]], person_ids: list[str]) -> list[dict[str, Any]]:
    """The roster's current posts of these persons (by roster id), in the order given; an unknown id is refused."""
    by_key: dict[str, dict[str, Any]] = {}
    for post in posts:
        by_key.setdefault(person_key(post), post)
    found = []
    for person_id in dict.fromkeys(person_ids):
        held = by_key.get(person_id)
        if held is None:
            raise NotFoundError(f"花名册中没有该人员 (no such person in post on the roster): {person_id}",
                                code="person_not_on_roster")
        found.append(held)
    return found


class LeadershipContact(ChainedAggregate):
    """One contact of the group with the unit's leadership (meeting attended, exchange of views, talk)."""

    default_distribution = "hq"

    @classmethod
    def record(
        cls, group_id: str, unit_id: str, kind: str, meeting_kind: str | None, held_on: date, title: str,
        persons: list[dict[str, Any]], attended_by: list[str], observation: str, concern: bool,
        directive_id: str | None, stage: str | None, recorded_by: str, today: date,
    ) -> LeadershipContact:
        """A contact after its rules: kind, meeting kind, the persons concerned, the observation, the stage."""
        if kind not in CONTACT_KINDS:
            raise InvalidInputError(f"未知监督方式 (unknown contact kind): {kind}", code="unknown_kind")
        if kind == "leadership_meeting" and meeting_kind not in MEETING_KINDS:
            raise InvalidInputError("参加领导班子会议须注明会议类型 (a meeting attended names its kind)",
                                    code="meeting_kind_required")
        if kind != "leadership_meeting" and meeting_kind is not None:
            raise InvalidInputError("只有参加会议才有会议类型 (only a meeting has a meeting kind)",
                                    code="meeting_kind_not_allowed")
        if held_on > today:
            raise InvalidInputError("不能记录未来的监督 (held in the future)", code="held_in_future")
        if not persons:
            raise InvalidInputError("须写明所涉领导干部 (name the roster persons concerned)",
                                    code="persons_required")
        if kind == "exchange_of_views" and not any(p["post_kind"] == "head" for p in persons):
            raise InvalidInputError("交换意见须有“一把手”参加 (an exchange of views is with the unit's head)",
                                    code="head_required")
        attendees = [a.strip() for a in attended_by if a.strip()]
        if not attendees:
            raise InvalidInputError("须写明组内参加人员 (name the group members who took part)",
                                    code="attendees_required")
        if stage is not None and stage not in STAGE_LABELS:
            raise InvalidInputError(f"未知环节 (unknown stage): {stage}", code="unknown_stage")
        if stage is not None and not directive_id:
            raise InvalidInputError("环节须随所监督的指示批示填写 (a stage needs its directive)",
                                    code="directive_required")
        return cls(
            group_id=group_id, unit_id=unit_id, kind=kind, meeting_kind=meeting_kind, held_on=held_on,
            title=_text(title, "会议或谈话主题", "title_required"),
            persons=[{"person_id": person_key(p), "person_name": p["person_name"], "post_kind": p["post_kind"],
                      "title": p["title"]} for p in persons],
            attended_by=list(dict.fromkeys(attendees)), observation=_text(observation, "监督情况", "observation_required"),
            concern=concern, directive_id=directive_id or None, stage=stage, recorded_by=recorded_by,
        )

    @event("Recorded")
    def __init__(
        self, group_id: str, unit_id: str, kind: str, meeting_kind: str | None, held_on: date, title: str,
        persons: list[dict[str, Any]], attended_by: list[str], observation: str, concern: bool,
        directive_id: str | None, stage: str | None, recorded_by: str,
    ) -> None:
        self._keep(locals())
        self.observations: list[dict[str, Any]] = [
            {"observer": recorded_by, "note": observation, "concern": concern, "observed_on": held_on}]
        self.matter_ids: list[str] = []

    def add_observation(self, observer: str, note: str, concern: bool, observed_on: date) -> None:
        """A later observation on the same contact (what followed, what the group noticed afterwards)."""
        self._observed(observer=observer, note=_text(note, "监督情况", "observation_required"), concern=concern,
                       observed_on=observed_on)

    @event("ObservationAdded")
    def _observed(self, observer: str, note: str, concern: bool, observed_on: date) -> None:
        self.observations.append({"observer": observer, "note": note, "concern": concern, "observed_on": observed_on})

    def check_matter(self) -> None:
        """Only a leadership meeting is where a 三重一大 matter is seen (会议监督 of power)."""
        if self.kind != "leadership_meeting":
            raise ContactStateError("三重一大事项只能在参加的会议上看到 (a 三重一大 matter is seen at a meeting attended)")

    def link_matter(self, matter_id: str) -> None:
        self.check_matter()
        self._matter_linked(matter_id=matter_id)

    @event("MatterLinked")
    def _matter_linked(self, matter_id: str) -> None:
        self.matter_ids.append(matter_id)
