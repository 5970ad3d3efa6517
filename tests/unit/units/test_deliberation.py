from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import ConflictError, ForbiddenError
from services.units.routing import WrongCounterpartError
from tests.unit.units.conftest import Ctx, items_of


def draft(ctx: Ctx, important: bool = True, counterpart: str = "party-group") -> str:
    result = ctx.call("zhang.wei", "draft_feedback", unit_id="unit-mee", title="关于落实中央生态环境保护督察整改的反馈意见",
                      body="一、部分整改任务推进迟缓；二、建议建立整改台账。", counterpart_id=counterpart,
                      deadline=date(2025, 4, 30), important=important)
    draft_id: str = result["draft_id"]
    return draft_id


def test_important_feedback_goes_through_full_deliberation_end_to_end(ctx: Ctx) -> None:
    draft_id = draft(ctx)
    assert items_of(ctx.app, "unit-mee") == []  # nothing reaches the unit while drafting
    with pytest.raises(ConflictError) as refused:
        ctx.call("li.na", "issue_feedback", draft_id=draft_id)
    assert refused.value.code == "deliberation_incomplete"
    ctx.call("zhang.wei", "record_opinion", draft_id=draft_id, stance="agree")
    with pytest.raises(ConflictError):
        ctx.call("li.na", "decide_feedback", draft_id=draft_id, decision="approve")  # one opinion is not collective
    ctx.call("wang.qiang", "record_opinion", draft_id=draft_id, stance="amend", text="建议明确整改时限")
    with pytest.raises(ConflictError) as refused:
        ctx.call("li.na", "issue_feedback", draft_id=draft_id)
    assert refused.value.code == "decision_required"
    with pytest.raises(ForbiddenError):
        ctx.call("wang.qiang", "decide_feedback", draft_id=draft_id, decision="approve")
    ctx.call("li.na", "decide_feedback", draft_id=draft_id, decision="approve", note="同意印发")
    with pytest.raises(WrongCounterpartError):  # feedback to the party group is signed by the leader
        ctx.call("wang.qiang", "issue_feedback", draft_id=draft_id)
    issued = ctx.call("li.na", "issue_feedback", draft_id=draft_id, reference_number="驻部纪检监察组〔2025〕2号")
    with pytest.raises(ConflictError) as refused:
        ctx.call("zhou.min", "record_opinion", draft_id=draft_id, stance="agree")
    assert refused.value.code == "already_issued"

    item_id = issued["item_id"]
    ctx.call("zhao.unit", "acknowledge_item", item_id=item_id)
    ctx.call("zhao.unit", "reply_to_outbound", item_id=item_id, title="关于反馈意见整改落实情况的报告",
             summary="已建立整改台账，明确时限", completed=True)

    state = ctx.app.get_feedback_draft(draft_id)
    assert state["status"] == "issued" and state["issued_item_id"] == item_id
    assert [h["step"] for h in state["history"]] == ["opinion", "opinion", "decided", "issued"]
    assert ctx.app.get_item(item_id)["status"] == "completed"
    envelopes, _ = ctx.app.integration_events(0, 1000)
    types = [e.type for e in envelopes]
    for expected in ("units.FeedbackDecided", "units.FeedbackIssued", "units.OutboundIssued",
                     "units.OutboundAcknowledged", "units.OutboundAnswered", "units.InboundReceived"):
        assert expected in types
    decided = next(e for e in envelopes if e.type == "units.FeedbackDecided")
    assert decided.distribution == "group"  # internal deliberation stays with the group
    issued_env = next(e for e in envelopes if e.type == "units.FeedbackIssued")
    assert issued_env.payload["opinion_count"] == 2 and issued_env.distribution == "group"


def test_ordinary_feedback_needs_opinions_but_no_leadership_decision(ctx: Ctx) -> None:
    draft_id = draft(ctx, important=False, counterpart="dqs-zhc")
    ctx.call("zhang.wei", "record_opinion", draft_id=draft_id, stance="agree")
    ctx.call("zhou.min", "record_opinion", draft_id=draft_id, stance="agree")
    assert ctx.call("zhang.wei", "issue_feedback", draft_id=draft_id)["item_id"]


def test_an_objection_requires_the_leadership_decision(ctx: Ctx) -> None:
    draft_id = draft(ctx, important=False, counterpart="dqs-zhc")
    ctx.call("zhang.wei", "record_opinion", draft_id=draft_id, stance="agree")
    ctx.call("zhou.min", "record_opinion", draft_id=draft_id, stance="object", text="事实依据不足")
    with pytest.raises(ConflictError) as refused:
        ctx.call("zhang.wei", "issue_feedback", draft_id=draft_id)
    assert refused.value.code == "decision_required"


def test_returned_feedback_is_revised_and_deliberated_again(ctx: Ctx) -> None:
    draft_id = draft(ctx)
    ctx.call("zhang.wei", "record_opinion", draft_id=draft_id, stance="agree")
    ctx.call("zhou.min", "record_opinion", draft_id=draft_id, stance="agree")
    ctx.call("li.na", "decide_feedback", draft_id=draft_id, decision="return", note="问题表述需更具体")
    with pytest.raises(ConflictError) as refused:
        ctx.call("li.na", "issue_feedback", draft_id=draft_id)
    assert refused.value.code == "decision_returned"
    ctx.call("zhang.wei", "revise_feedback", draft_id=draft_id, body="修改后的反馈意见", important=True)
    state = ctx.app.get_feedback_draft(draft_id)
    assert state["revision"] == 2 and state["opinions"] == [] and state["decision"] is None
    with pytest.raises(ConflictError):
        ctx.call("li.na", "issue_feedback", draft_id=draft_id)


def test_drafts_and_opinions_are_not_published(ctx: Ctx) -> None:
    draft_id = draft(ctx)
    ctx.call("zhang.wei", "record_opinion", draft_id=draft_id, stance="object", text="内部意见")
    envelopes, _ = ctx.app.integration_events(0, 1000)
    assert not [e for e in envelopes if "内部意见" in str(e.payload)]
