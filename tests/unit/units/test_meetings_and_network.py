"""Meeting supervision (会议监督, 交换意见, 谈心谈话) and the three-level network (三级联动), as the seeds describe them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from tests.unit.units.conftest import Ctx


def _appoint(ctx: Ctx, name: str, post_kind: str, title: str, department_id: str) -> str:
    """Appoint a person and answer their roster id (as the roster shows it)."""
    post = ctx.call("zhang.wei", "appoint_person", unit_id="unit-mee", person_name=name, post_kind=post_kind,
                    title=title, department_id=department_id, since=date(2024, 1, 1))
    [found] = [p for p in ctx.app.get_unit("unit-mee")["posts"] if p["post_id"] == post["post_id"]]
    return str(getattr(found, "person_id", None) or found["post_id"])


@pytest.fixture()
def people(ctx: Ctx) -> dict[str, str]:
    return {
        "head": _appoint(ctx, "黄部长", "head", "部长、部党组书记", "party-group"),
        "deputy": _appoint(ctx, "孙副部长", "leadership", "副部长、部党组成员", "party-group"),
        "secretary": _appoint(ctx, "周亚平", "discipline_secretary", "机关纪委书记", "party-group"),
        "branch_dqs": _appoint(ctx, "何静", "branch_discipline_member", "支部纪检委员", "dqs"),
    }


def test_attending_a_party_group_meeting_records_what_the_group_observed_and_its_stage(
        ctx: Ctx, people: dict[str, str]) -> None:
    result = ctx.call(
        "li.na", "record_leadership_contact", unit_id="unit-mee", kind="leadership_meeting",
        meeting_kind="party_group_meeting", held_on=date(2025, 3, 1), title="部党组会（2025年第5次）",
        person_ids=[people["head"], people["deputy"]], attended_by=["李娜"],
        observation="传达学习重要指示批示作为第一议题，研究部署不够具体", concern=True,
        directive_id="directive-1", stage="relay_study",
    )
    contact = ctx.app.get_leadership_contact(result["contact_id"])
    assert contact["kind"] == "leadership_meeting" and contact["stage"] == "relay_study"
    assert [p["person_name"] for p in contact["persons"]] == ["黄部长", "孙副部长"]
    assert contact["observations"][0]["concern"] is True and contact["distribution"] == "hq"
    ctx.call("zhang.wei", "add_contact_observation", contact_id=result["contact_id"], note="会后已补充细化分工方案")
    assert len(ctx.app.get_leadership_contact(result["contact_id"])["observations"]) == 2
    envelopes, _ = ctx.app.integration_events(0, 1000)
    [published] = [e for e in envelopes if e.type == "units.LeadershipContactRecorded"]
    assert published.payload["person_ids"] == [people["head"], people["deputy"]]
    assert published.distribution == "hq" and "observation" not in published.payload


def test_an_exchange_of_views_is_with_the_head_and_a_person_must_be_on_the_roster(
        ctx: Ctx, people: dict[str, str]) -> None:
    fields = {"unit_id": "unit-mee", "kind": "exchange_of_views", "held_on": date(2025, 3, 2),
              "title": "通报一季度监督情况", "attended_by": ["李娜"], "observation": "一把手表示将抓好整改"}
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("li.na", "record_leadership_contact", person_ids=[people["deputy"]], **fields)
    assert refused.value.code == "head_required"
    with pytest.raises(NotFoundError) as unknown:
        ctx.call("li.na", "record_leadership_contact", person_ids=["no-such-person"], **fields)
    assert unknown.value.code == "person_not_on_roster"
    ctx.call("li.na", "record_leadership_contact", person_ids=[people["head"]], **fields)


def test_a_talk_is_recorded_and_a_meeting_kind_or_a_future_date_is_refused(ctx: Ctx, people: dict[str, str]) -> None:
    talk = {"unit_id": "unit-mee", "kind": "talk", "title": "任前谈心谈话", "person_ids": [people["deputy"]],
            "attended_by": ["王强"], "observation": "本人对分管领域廉政风险认识清楚"}
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("wang.qiang", "record_leadership_contact", held_on=date(2025, 3, 1),
                 meeting_kind="party_group_meeting", **talk)
    assert refused.value.code == "meeting_kind_not_allowed"
    with pytest.raises(InvalidInputError) as future:
        ctx.call("wang.qiang", "record_leadership_contact", held_on=ctx.app.today() + timedelta(days=1), **talk)
    assert future.value.code == "held_in_future"
    result = ctx.call("wang.qiang", "record_leadership_contact", held_on=date(2025, 3, 1), **talk)
    with pytest.raises(ConflictError):  # a 三重一大 matter is seen at a meeting, not in a talk
        ctx.call("wang.qiang", "observe_meeting_matter", contact_id=result["contact_id"], category="major_decision",
                 title="x", department_id="dqs", decided_on=date(2025, 3, 1), note="y")


def test_a_major_matter_seen_at_the_attended_meeting_is_a_power_matter_linked_to_it(
        ctx: Ctx, people: dict[str, str]) -> None:
    meeting = ctx.call("li.na", "record_leadership_contact", unit_id="unit-mee", kind="leadership_meeting",
                       meeting_kind="executive_meeting", held_on=date(2025, 3, 1), title="部务会（2025年第3次）",
                       person_ids=[people["head"]], attended_by=["李娜", "张伟"], observation="议题按程序审议")
    linked = ctx.call("li.na", "observe_meeting_matter", contact_id=meeting["contact_id"], category="major_project",
                      title="国家生态环境监测网络建设", department_id="dqs", decided_on=date(2025, 3, 1),
                      note="集体决策程序完整", concern=False)
    matter = ctx.app.get_power_matter(linked["matter_id"])
    assert matter["source"] == "meeting_observation" and matter["meeting"] == "部务会（2025年第3次）"
    assert ctx.app.get_leadership_contact(meeting["contact_id"])["matter_ids"] == [linked["matter_id"]]


def test_the_network_shows_each_position_its_vacancies_and_the_counterpart_that_reaches_it(
        ctx: Ctx, people: dict[str, str]) -> None:
    network = ctx.app.get_network("unit-mee")
    by_post = {(p["post_kind"], p["department_id"]): p for p in network["positions"]}
    # the ministry's fixture: bureaus dqs and zfj, the subordinate monitoring station hjjcs; division dqs-zhc none
    assert set(by_post) == {("discipline_secretary", None), ("discipline_member", None),
                            ("branch_discipline_member", "dqs"), ("branch_discipline_member", "zfj"),
                            ("branch_discipline_member", "hjjcs")}
    assert by_post[("discipline_secretary", None)]["holders"][0]["person_id"] == people["secretary"]
    assert by_post[("discipline_member", None)]["vacant"] is True
    assert by_post[("branch_discipline_member", "zfj")]["vacant"] is True
    assert by_post[("branch_discipline_member", "dqs")]["reachable_via"]["counterpart_id"] == "dqs"
    assert by_post[("branch_discipline_member", "zfj")]["reachable_via"] is None
    assert network["vacancies"] == 3
    _appoint(ctx, "罗斌", "branch_discipline_member", "支部纪检委员", "zfj")
    assert ctx.app.get_network("unit-mee")["vacancies"] == 2


def test_joint_meetings_training_and_training_by_doing_take_network_members_only(
        ctx: Ctx, people: dict[str, str]) -> None:
    base = {"unit_id": "unit-mee", "held_on": date(2025, 2, 20), "summary": "学习执纪执法贯通要求，交流案例"}
    with pytest.raises(NotFoundError) as not_network:
        ctx.call("zhang.wei", "record_network_activity", kind="joint_meeting", title="三级联动联席会议",
                 participant_ids=[people["head"]], **base)
    assert not_network.value.code == "person_not_on_roster"
    with pytest.raises(InvalidInputError) as no_work:
        ctx.call("zhang.wei", "record_network_activity", kind="training_by_doing", title="以干代训",
                 participant_ids=[people["branch_dqs"]], **base)
    assert no_work.value.code == "assignment_required"
    result = ctx.call("zhang.wei", "record_network_activity", kind="training_by_doing", title="以干代训",
                      participant_ids=[people["branch_dqs"]], assignment="参与某执法案件线索初核", **base)
    activity = ctx.app.get_network_activity(result["activity_id"])
    assert activity["participants"][0]["level"] == "branch" and activity["distribution"] == "unit"
    ctx.call("zhang.wei", "record_network_activity", kind="joint_meeting", title="三级联动联席会议",
             participant_ids=[people["secretary"], people["branch_dqs"]], **base)
    envelopes, _ = ctx.app.integration_events(0, 1000)
    kinds = [e.payload["kind"] for e in envelopes if e.type == "units.NetworkActivityRecorded"]
    assert kinds == ["training_by_doing", "joint_meeting"]
