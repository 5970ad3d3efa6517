"""Supervising people as well as matters (既监督事也监督人) and integrity opinions (廉政意见), as the seeds describe:

seed 002 "盯住‘两个重点’…特别是‘一把手’…评价党员领导干部是否既挂帅又出征" and "聚焦监测环评、督察执法、核安全监管等
重要岗位、重点领域"; seed 000 "熟悉被监督单位干部和重点人" and "将…廉政意见回函等体现在廉政档案中". Two cadres of one
name stay two people (the roster's person id)."""

from __future__ import annotations

from datetime import date

import pytest

import authz
from authz import Principal
from events import clues
from events.units import legacy_person_id
from services.common.context import CommandContext
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from tests.factories import make_envelope
from tests.unit.units.conftest import Ctx


def published(ctx: Ctx, event_type: str) -> list[tuple[str, dict[str, object]]]:
    envelopes, _ = ctx.app.integration_events(0, 100_000)
    return [(e.distribution, e.payload) for e in envelopes if e.type == event_type]


def appoint(ctx: Ctx, name: str, kind: str, title: str, department: str, **more: object) -> dict[str, str]:
    found = ctx.call("zhang.wei", "appoint_person", unit_id="unit-mee", person_name=name, post_kind=kind, title=title,
                     department_id=department, since=date(2025, 1, 1), **more)
    return {"post_id": found["post_id"], "person_id": found["person_id"]}


def test_two_cadres_of_one_name_are_two_people_and_a_second_post_keeps_the_id(ctx: Ctx) -> None:
    head = appoint(ctx, "王明", "department_head", "司长", "dqs")
    namesake = appoint(ctx, "王明", "department_head", "局长", "zfj")
    assert head["person_id"] != namesake["person_id"]
    again = appoint(ctx, "王明", "branch_discipline_member", "纪检委员", "dqs", person_id=head["person_id"])
    assert again["person_id"] == head["person_id"]
    with pytest.raises(InvalidInputError) as mismatch:
        appoint(ctx, "李华", "department_head", "司长", "hjjcs", person_id=head["person_id"])
    assert mismatch.value.code == "person_name_mismatch"
    posts = ctx.call("zhang.wei", "get_unit", unit_id="unit-mee")["posts"]
    assert sorted(p["person_id"] for p in posts) == sorted([head["person_id"], namesake["person_id"],
                                                            head["person_id"]])
    appointed = published(ctx, "units.PersonAppointed")
    assert [p["person_id"] for _, p in appointed] == [head["person_id"], namesake["person_id"], head["person_id"]]


def test_a_submission_about_a_cadre_names_the_roster_person_or_is_refused_when_ambiguous(ctx: Ctx) -> None:
    head = appoint(ctx, "王明", "department_head", "司长", "dqs")
    ctx.call("zhao.unit", "submit_democratic_evaluation", unit_id="unit-mee", title="测评", cadre="王明", post="司长",
             year=2025, grade="good")
    appoint(ctx, "王明", "department_head", "局长", "zfj")
    with pytest.raises(InvalidInputError) as ambiguous:
        ctx.call("zhao.unit", "submit_duty_integrity_report", unit_id="unit-mee", title="述责述廉", cadre="王明",
                 post="司长", year=2025, summary="报告")
    assert ambiguous.value.code == "person_ambiguous"
    ctx.call("zhao.unit", "submit_duty_integrity_report", unit_id="unit-mee", title="述责述廉", cadre="王明",
             post="司长", year=2025, summary="报告", person_id=head["person_id"])
    ctx.call("zhao.unit", "submit_democratic_evaluation", unit_id="unit-mee", title="测评", cadre="赵六", post="处长",
             year=2025, grade="fair")  # not on the roster: no person id, the read side keys it by name
    evaluations = [p["person_id"] for _, p in published(ctx, "units.DemocraticEvaluationReported")]
    reports = [p["person_id"] for _, p in published(ctx, "units.DutyIntegrityReportSubmitted")]
    assert evaluations == [head["person_id"], ""] and reports == [head["person_id"]]


def test_the_group_evaluates_a_responsible_leader_per_period_work_style_included(ctx: Ctx) -> None:
    head = appoint(ctx, "陈部长", "head", "部长", "party-group")
    member = appoint(ctx, "孙委员", "discipline_member", "机关纪委委员", "party-group")
    aspects = {"political_stance": "good", "work_style": "fair", "leads_in_person": "good"}
    first = ctx.call("li.na", "evaluate_leader", unit_id="unit-mee", person_id=head["person_id"], period="2025H1",
                     aspects=aspects, overall="good", observation="参加党组会：研究部署及时，督导一线不足")
    revised = ctx.call("li.na", "evaluate_leader", unit_id="unit-mee", person_id=head["person_id"], period="2025H1",
                       aspects={**aspects, "work_style": "good"}, overall="good", observation="补充谈心谈话情况")
    assert (first["revision"], revised["revision"]) == (1, 2) and first["evaluation_id"] == revised["evaluation_id"]
    with pytest.raises(InvalidInputError) as no_style:
        ctx.call("li.na", "evaluate_leader", unit_id="unit-mee", person_id=head["person_id"], period="2025",
                 aspects={"political_stance": "good"}, overall="good", observation="无")
    assert no_style.value.code == "work_style_required"
    with pytest.raises(InvalidInputError) as not_leader:
        ctx.call("li.na", "evaluate_leader", unit_id="unit-mee", person_id=member["person_id"], period="2025",
                 aspects={"work_style": "good"}, overall="good", observation="无")
    assert not_leader.value.code == "not_a_leader"
    with pytest.raises(InvalidInputError) as bad_period:
        ctx.call("li.na", "evaluate_leader", unit_id="unit-mee", person_id=head["person_id"], period="2025Q5",
                 aspects={"work_style": "good"}, overall="good", observation="无")
    assert bad_period.value.code == "period_invalid"
    evaluated = published(ctx, "units.LeaderEvaluated")
    assert [(d, p["revision"], p["aspects"]["work_style"]) for d, p in evaluated] == [("group", 1, "fair"),
                                                                                      ("group", 2, "good")]


def test_key_persons_are_the_groups_and_the_unit_may_not_flag_or_evaluate(ctx: Ctx) -> None:
    head = appoint(ctx, "陈部长", "head", "部长", "party-group")
    ctx.call("zhang.wei", "flag_key_person", unit_id="unit-mee", person_id=head["person_id"], flagged=True,
             reason="分管核安全监管，信访反映集中")
    with pytest.raises(InvalidInputError) as unchanged:
        ctx.call("zhang.wei", "flag_key_person", unit_id="unit-mee", person_id=head["person_id"], flagged=True,
                 reason="再次标记")
    assert unchanged.value.code == "flag_unchanged"
    assert [(d, p["flagged"]) for d, p in published(ctx, "units.KeyPersonFlagged")] == [("group", True)]
    with pytest.raises(NotFoundError):
        ctx.call("li.na", "flag_key_person", unit_id="unit-mee", person_id="no-such-person", flagged=True, reason="x")


def test_important_posts_and_fields_on_departments_and_posts(ctx: Ctx) -> None:
    enforcement = appoint(ctx, "周局长", "department_head", "局长", "zfj")
    ctx.call("zhang.wei", "set_important_fields", unit_id="unit-mee", target="department", target_id="zfj",
             important_fields=["inspection_enforcement"])
    ctx.call("zhang.wei", "set_important_fields", unit_id="unit-mee", target="post", target_id=enforcement["post_id"],
             important_fields=["nuclear_safety", "inspection_enforcement"])
    with pytest.raises(NotFoundError):
        ctx.call("zhang.wei", "set_important_fields", unit_id="unit-mee", target="post", target_id="no-post",
                 important_fields=["nuclear_safety"])
    roster = ctx.call("zhang.wei", "get_unit", unit_id="unit-mee")
    assert {d["department_id"]: d["important_fields"] for d in roster["departments"]}["zfj"] == [
        "inspection_enforcement"]
    assert roster["posts"][0]["important_fields"] == ["inspection_enforcement", "nuclear_safety"]
    assert [(p["target"], p["fields"]) for _, p in published(ctx, "units.ImportantFieldsSet")] == [
        ("department", ["inspection_enforcement"]), ("post", ["inspection_enforcement", "nuclear_safety"])]


def test_an_integrity_opinion_request_is_answered_by_the_units_reply_about_that_person(ctx: Ctx) -> None:
    ctx.call("li.na", "assign_counterpart", unit_id="unit-mee", counterpart_id="party-group", member="li.na",
             member_role="group_leader")
    head = appoint(ctx, "王明", "department_head", "司长", "dqs")
    namesake = appoint(ctx, "王明", "department_head", "局长", "zfj")
    request = ctx.call("li.na", "request_integrity_opinion", unit_id="unit-mee", person_id=namesake["person_id"],
                       purpose="selection_appointment", title="关于征求王明同志廉政意见的函", body="拟提拔任用，请回复",
                       counterpart_id="party-group", deadline=date(2025, 3, 20), reference_number="环驻纪函〔2025〕3号")
    ctx.call("zhao.unit", "acknowledge_item", item_id=request["item_id"])
    with pytest.raises(InvalidInputError) as other_person:
        ctx.call("zhao.unit", "reply_integrity_opinion", unit_id="unit-mee", item_id=request["item_id"],
                 person_id=head["person_id"], title="回函", cadre="王明", request_ref="环驻纪函〔2025〕3号",
                 opinion="no_objection")
    assert other_person.value.code == "person_mismatch"
    with pytest.raises(InvalidInputError) as generic:
        ctx.call("zhao.unit", "reply_to_outbound", item_id=request["item_id"], title="回复", summary="无异议")
    assert generic.value.code == "reply_with_integrity_opinion"
    reply = ctx.call("zhao.unit", "reply_integrity_opinion", unit_id="unit-mee", item_id=request["item_id"],
                     title="廉政意见回函", cadre="王明", request_ref="环驻纪函〔2025〕3号", opinion="no_objection")
    assert reply["item_status"] == "completed"
    (requested,) = published(ctx, "units.IntegrityOpinionRequested")
    (replied,) = published(ctx, "units.IntegrityOpinionReplied")
    assert requested[1]["person_id"] == namesake["person_id"] and requested[0] == "unit"
    assert (replied[1]["person_id"], replied[1]["request_id"]) == (namesake["person_id"], request["request_id"])
    with pytest.raises(InvalidInputError) as kind:  # the generic reply cannot answer it without the opinion
        ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="integrity_opinion_request", title="征求",
                 body="请回复", counterpart_id="party-group", deadline=date(2025, 4, 1))
    assert kind.value.code == "kind_not_direct"


# -- a clue's final, shareable outcome tied to the cadre: the clue's compartment only ------------------------------
def principal(user: str, role: str = "group_staff") -> Principal:
    return Principal(user, user, "group-mee", "group", frozenset({role}), group_id="group-mee",
                     supervised_unit_ids=frozenset({"unit-mee"}))


def tie(ctx: Ctx, user: str, person_id: str, clue_id: str = "c1") -> dict[str, object]:
    authz.load_rules()
    context = CommandContext(actor={"user": user, "org": "group-mee", "role": "group_staff"},
                             principal=principal(user), action="units.tie_clue_outcome")
    with ctx.app.acting(context):
        result: dict[str, object] = ctx.app.tie_clue_outcome(unit_id="unit-mee", person_id=person_id, clue_id=clue_id)
        return result


def clue_events(ctx: Ctx) -> None:
    registered = clues.ClueRegistered(clue_id="c1", source="petition", categories=["integrity"], key_person=True,
                                      received_on=date(2025, 2, 1), status="registered", referral_id=None,
                                      disposition_due_on=None, compartment=["li.na", "zhang.wei"])
    ctx.app.process_integration_event(make_envelope(registered, service="clues", position=1, stream_id="c1"),
                                      registered)
    concluded = clues.ClueStatusChanged(clue_id="c1", status="closed", disposition="preliminary_verification",
                                        four_forms=2, result="closed", due_on=None, step="concluded")
    ctx.app.process_integration_event(make_envelope(concluded, service="clues", position=2, stream_id="c1",
                                                    stream_version=2), concluded)


def test_a_concluded_clues_outcome_is_tied_to_the_cadre_by_its_compartment_only(ctx: Ctx) -> None:
    head = appoint(ctx, "王明", "department_head", "司长", "dqs")
    with pytest.raises(NotFoundError):  # no such clue known yet
        tie(ctx, "zhang.wei", head["person_id"])
    clue_events(ctx)
    with pytest.raises(NotFoundError):  # wang.qiang is not in the clue's compartment: the clue does not exist for him
        tie(ctx, "wang.qiang", head["person_id"])
    tied = tie(ctx, "zhang.wei", head["person_id"])
    assert tied["clue_id"] == "c1" and tied["position"]
    with pytest.raises(ConflictError) as again:
        tie(ctx, "li.na", head["person_id"])
    assert again.value.code == "already_tied"
    [(distribution, payload)] = published(ctx, "units.ClueOutcomeTied")
    assert distribution == "compartment:c1"
    assert {k: payload[k] for k in ("person_id", "result", "four_forms")} == {
        "person_id": head["person_id"], "result": "closed", "four_forms": 2}
    assert not {"subject", "allegation", "title", "summary"} & set(payload)  # codes only, never content


def test_a_clue_not_concluded_cannot_be_tied(ctx: Ctx) -> None:
    head = appoint(ctx, "王明", "department_head", "司长", "dqs")
    registered = clues.ClueRegistered(clue_id="c2", source="petition", categories=["integrity"], key_person=False,
                                      received_on=date(2025, 2, 1), status="registered", referral_id=None,
                                      disposition_due_on=None, compartment=["zhang.wei"])
    ctx.app.process_integration_event(make_envelope(registered, service="clues", position=1, stream_id="c2"),
                                      registered)
    with pytest.raises(ConflictError) as open_clue:
        tie(ctx, "zhang.wei", head["person_id"], "c2")
    assert open_clue.value.code == "clue_not_concluded"


def test_a_post_recorded_before_persons_had_ids_gets_the_legacy_id_of_its_name(ctx: Ctx) -> None:
    """Replaying an old PersonAppointed (no person_id) gives the post the id the read side derives too."""
    unit = ctx.app.unit("unit-mee")
    with ctx.app.acting(CommandContext()):
        unit._person_appointed(post_id="old-post", person_name="赵强", post_kind="head", title="局长",
                               department_id="party-group", since=date(2020, 1, 1), note=None)
    assert unit.person_of(unit.posts["old-post"]) == legacy_person_id("unit-mee", "赵强")
    assert unit.persons()[legacy_person_id("unit-mee", "赵强")]["person_name"] == "赵强"
