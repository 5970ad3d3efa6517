from __future__ import annotations

from datetime import date, timedelta

import pytest

from events.clues import RecommendationIssued
from services.common.errors import ConflictError, InvalidInputError
from services.units.outbound import OutboundItem
from tests.factories import make_envelope
from tests.unit.units.conftest import Ctx, items_of


def recommendation(recommendation_id: str = "rec-1", department: str = "生态环境执法局") -> RecommendationIssued:
    return RecommendationIssued(
        recommendation_id=recommendation_id, reference_number="驻部纪检监察组建〔2025〕1号",
        title="关于加强执法领域廉政风险防控的纪检监察建议", problems=["执法检查随意性大"],
        recommendations=["建立执法检查计划报备制度"], responsible_department=department, deadline=date(2025, 6, 30),
    )


def test_recommendation_delivered_twice_is_recorded_once(ctx: Ctx) -> None:
    envelope = make_envelope(recommendation(), service="clues", position=7)
    assert ctx.app.process_integration_event(envelope, recommendation()) is True
    assert ctx.app.process_integration_event(envelope, recommendation()) is False
    # the same recommendation republished at another position is still one item
    again = make_envelope(recommendation(), service="clues", position=9)
    ctx.app.process_integration_event(again, recommendation())
    [item] = items_of(ctx.app, "unit-mee")
    assert item["kind"] == "recommendation" and item["source_ref"] == "rec-1"
    assert item["counterpart_id"] == "zfj" and item["level"] == "bureau" and item["signer_role"] == "group_deputy"
    assert item["deadline"] == "2025-06-30"
    envelopes, _ = ctx.app.integration_events(0, 1000)
    issued = [e for e in envelopes if e.type == "units.OutboundIssued"]
    assert len(issued) == 1 and issued[0].distribution == "unit" and issued[0].causation_id == envelope.event_id


def test_recommendation_for_an_unknown_department_goes_to_the_party_group(ctx: Ctx) -> None:
    envelope = make_envelope(recommendation("rec-2", "不存在的司"), service="clues", position=1)
    ctx.app.process_integration_event(envelope, recommendation("rec-2", "不存在的司"))
    [item] = items_of(ctx.app, "unit-mee")
    assert item["counterpart_id"] == "party-group" and item["signer_role"] == "group_leader"


def test_unit_acknowledges_then_answers_a_recommendation_which_reports_rectification(ctx: Ctx) -> None:
    ctx.app.process_integration_event(make_envelope(recommendation(), service="clues", position=1), recommendation())
    [item] = items_of(ctx.app, "unit-mee")
    with pytest.raises(ConflictError) as refused:
        ctx.call("zhao.unit", "reply_to_outbound", item_id=item["item_id"], title="回复", summary="已整改")
    assert refused.value.code == "not_acknowledged"
    ctx.call("zhao.unit", "acknowledge_item", item_id=item["item_id"])
    reply = ctx.call("zhao.unit", "reply_to_outbound", item_id=item["item_id"], title="关于纪检监察建议落实情况的报告",
                     summary="已建立执法检查计划报备制度", completed=True)
    assert reply["receipt"]["number"].startswith("JY-2025-")
    state = ctx.app.get_item(item["item_id"])
    assert state["status"] == "completed" and state["delivered"]["channel"] == "portal"
    assert state["acknowledged"]["by"] == "zhao.unit"
    envelopes, _ = ctx.app.integration_events(0, 1000)
    rectified = [e for e in envelopes if e.type == "units.RectificationReported"]
    assert rectified[0].payload["subject_ref"] == "rec-1" and rectified[0].payload["completed"] is True
    answered = [e for e in envelopes if e.type == "units.OutboundAnswered"]
    assert answered[0].payload["source_ref"] == "rec-1" and answered[0].payload["kind"] == "recommendation"


def test_overdue_is_recorded_once_by_the_scheduler(ctx: Ctx) -> None:
    item = ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="directive_relay",
                    title="传达第一季度部署", body="请报送进展", counterpart_id="dqs-zhc", deadline=date(2025, 3, 10))
    answered = ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="document_request",
                        title="调阅资料", body="请提供会议纪要", counterpart_id="hjjcs", deadline=date(2025, 3, 10))
    ctx.call("zhao.unit", "acknowledge_item", item_id=answered["item_id"])
    ctx.call("zhao.unit", "reply_to_outbound", item_id=answered["item_id"], title="资料报送", summary="已报送")
    assert ctx.call("zhang.wei", "record_overdue")["overdue"] == []  # on the deadline day: not yet
    ctx.clock.advance(timedelta(days=8))
    assert ctx.call("zhang.wei", "record_overdue")["overdue"] == [item["item_id"]]
    ctx.clock.advance(timedelta(days=1))
    assert ctx.call("zhang.wei", "record_overdue")["overdue"] == []
    envelopes, _ = ctx.app.integration_events(0, 1000)
    overdue = [e for e in envelopes if e.type == "units.OutboundOverdue"]
    assert len(overdue) == 1 and overdue[0].payload["detected_on"] == "2025-03-11"
    assert ctx.app.get_item(item["item_id"])["overdue_on"] == "2025-03-11"


def test_a_scheduling_request_is_refused_for_rounds(ctx: Ctx) -> None:
    """One mechanism (issue #15): scheduling is a round of the ledgers, no longer an item of the channel."""
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="scheduling_request",
                 title="调度", body="请报送进展", counterpart_id="dqs-zhc", deadline=date(2025, 3, 31))
    assert refused.value.code == "use_scheduling_rounds" and "scheduling-rounds" in refused.value.message
    assert items_of(ctx.app, "unit-mee") == []


def test_a_scheduling_request_issued_before_still_loads_and_is_answered_by_a_progress_report(ctx: Ctx) -> None:
    old = OutboundItem(  # as recorded before the kind was retired (its Issued event, no check of today's rules)
        group_id="group-mee", unit_id="unit-mee", kind="scheduling_request", title="调度", body="请报送进展",
        reference_number="", counterpart_id="dqs-zhc", counterpart_name="大气司综合处", level="division",
        signed_by="zhang.wei", signer_role="group_staff", deadline=date(2025, 3, 31), issued_on=date(2025, 3, 3),
        source_ref=None)
    ctx.app.save(old)
    item = {"item_id": str(old.id)}
    ctx.call("zhao.unit", "acknowledge_item", item_id=item["item_id"])
    ctx.call("zhao.unit", "reply_to_outbound", item_id=item["item_id"], title="进展报告", summary="按计划推进",
             period="2025-03")
    envelopes, _ = ctx.app.integration_events(0, 1000)
    [progress] = [e for e in envelopes if e.type == "units.ProgressReported"]
    assert progress.payload["answers_item_id"] == item["item_id"] and progress.payload["round_id"] is None
    assert ctx.app.get_item(item["item_id"])["status"] == "answered"


def test_feedback_cannot_be_sent_without_deliberation(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("li.na", "issue_request", unit_id="unit-mee", kind="feedback", title="反馈", body="意见",
                 counterpart_id="party-group", deadline=date(2025, 4, 1))
    assert refused.value.code == "kind_not_direct"


def test_deadline_in_the_past_and_double_acknowledgement_are_refused(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError):
        ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="document_request", title="调阅",
                 body="资料", counterpart_id="hjjcs", deadline=date(2025, 1, 1))
    item = ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="document_request", title="调阅",
                    body="资料", counterpart_id="hjjcs", deadline=date(2025, 4, 1))
    ctx.call("zhao.unit", "acknowledge_item", item_id=item["item_id"])
    with pytest.raises(ConflictError):
        ctx.call("zhao.unit", "acknowledge_item", item_id=item["item_id"])
    ctx.call("zhang.wei", "withdraw_item", item_id=item["item_id"], reason="误发")
    with pytest.raises(ConflictError) as refused:
        ctx.call("zhao.unit", "reply_to_outbound", item_id=item["item_id"], title="t", summary="s")
    assert refused.value.code == "item_withdrawn"


def test_the_overdue_sweep_loads_only_items_whose_deadline_passed(ctx: Ctx) -> None:
    later = [ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="document_request", title=f"调阅 {n}",
                      body="请提供", counterpart_id="hjjcs", deadline=date(2025, 12, 31))["item_id"] for n in range(10)]
    due = ctx.call("zhang.wei", "issue_request", unit_id="unit-mee", kind="directive_relay", title="传达",
                   body="请报送进展", counterpart_id="dqs-zhc", deadline=date(2025, 3, 10))["item_id"]
    ctx.clock.advance(timedelta(days=8))
    loaded: list[str] = []
    original = ctx.app.repository.get
    ctx.app.repository.get = lambda i, *a, **k: loaded.append(str(i)) or original(i, *a, **k)  # type: ignore[method-assign]
    assert ctx.call("zhang.wei", "record_overdue")["overdue"] == [due]
    assert due in loaded and not set(loaded) & set(later)
