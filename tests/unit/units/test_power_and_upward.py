from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import ConflictError, InvalidInputError
from tests.unit.units.conftest import Ctx, published_ids


def test_unit_reports_a_major_matter_with_a_receipt_and_the_group_adds_observations(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhao.unit", "report_power_matter", unit_id="unit-mee", category="large_fund",
                 title="大气监测设备采购", department_id="dqs", decided_on=date(2025, 2, 28))
    assert refused.value.code == "amount_required"
    result = ctx.call("zhao.unit", "report_power_matter", unit_id="unit-mee", category="large_fund",
                      title="大气监测设备采购", department_id="dqs", decided_on=date(2025, 2, 28),
                      amount_yuan=12_000_000)
    assert result["receipt"]["number"].startswith("SZYD-2025-")
    ctx.call("zhang.wei", "record_power_observation", matter_id=result["matter_id"], note="采购程序合规，关注履约",
             concern=False)
    matter = ctx.app.get_power_matter(result["matter_id"])
    assert matter["source"] == "unit_report" and matter["department_name"] == "大气环境司"
    assert matter["observations"][0]["observer"] == "zhang.wei"
    assert matter["distribution"] == "hq"


def test_group_registers_a_matter_observed_at_a_leadership_meeting(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("li.na", "observe_power_matter", unit_id="unit-mee", category="cadre_appointment", title="司局级干部任免",
                 department_id="party-group", decided_on=date(2025, 3, 1), meeting="", note="程序规范")
    assert refused.value.code == "meeting_required"
    ctx.call("li.na", "observe_power_matter", unit_id="unit-mee", category="cadre_appointment", title="司局级干部任免",
             department_id="party-group", decided_on=date(2025, 3, 1), meeting="部党组会（2025年第5次）",
             note="任免程序规范，会前已征求廉政意见", concern=False)
    [matter] = [ctx.app.get_power_matter(m) for m in
                published_ids(ctx.app, {"units.PowerMatterRegistered": "matter_id"}, "unit-mee")]
    assert matter["source"] == "meeting_observation" and matter["meeting"] == "部党组会（2025年第5次）"


def test_power_list_and_risk_points_keep_their_history(ctx: Ctx) -> None:
    ctx.call("zhang.wei", "revise_power_list", unit_id="unit-mee", department_id="zfj",
             powers=[{"name": "行政处罚", "basis": "环境保护法", "boundary": "依法定权限"}], reason="初次梳理")
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhang.wei", "record_risk_point", unit_id="unit-mee", department_id="zfj", power="行政许可",
                 description="x", level="high")
    assert refused.value.code == "power_not_listed"
    point = ctx.call("zhang.wei", "record_risk_point", unit_id="unit-mee", department_id="zfj", power="行政处罚",
                     description="自由裁量权过大", level="high", controls="裁量基准、集体审议")
    ctx.call("zhang.wei", "revise_power_list", unit_id="unit-mee", department_id="zfj",
             powers=[{"name": "行政处罚"}, {"name": "执法检查"}], reason="职能调整")
    ctx.call("zhang.wei", "retire_risk_point", unit_id="unit-mee", department_id="zfj", point_id=point["point_id"],
             reason="已出台裁量基准")
    with pytest.raises(ConflictError):
        ctx.call("zhang.wei", "retire_risk_point", unit_id="unit-mee", department_id="zfj",
                 point_id=point["point_id"], reason="again")
    power_list = ctx.app.get_power_list("unit-mee", "zfj")
    assert [p["name"] for p in power_list["powers"]] == ["行政处罚", "执法检查"]
    assert [h["change"] for h in power_list["history"]] == [
        "powers_revised", "risk_point_recorded", "powers_revised", "risk_point_retired"]
    assert power_list["risk_points"][0]["retired"]["reason"] == "已出台裁量基准"


def test_upward_request_is_answered_once_by_the_commission(ctx: Ctx) -> None:
    result = ctx.call("li.na", "submit_upward", group_id="group-mee", kind="request",
                      title="关于对某司局开展专项监督的请示", body="拟开展专项监督，妥否，请批示。", unit_id="unit-mee")
    ctx.call("chen.hq", "reply_upward", upward_id=result["upward_id"], reply="同意。")
    with pytest.raises(ConflictError):
        ctx.call("chen.hq", "reply_upward", upward_id=result["upward_id"], reply="再次批复")
    upward = ctx.app.get_upward(result["upward_id"])
    assert upward["replies"][0]["reply"] == "同意。" and upward["distribution"] == "hq"
    envelopes, _ = ctx.app.integration_events(0, 1000)
    assert {"units.UpwardSubmitted", "units.UpwardReplied"} <= {e.type for e in envelopes}


def test_consultation_records_minutes_and_agreed_actions(ctx: Ctx) -> None:
    result = ctx.call("li.na", "hold_consultation", unit_id="unit-mee", kind="regular", held_on=date(2025, 3, 3),
                      participants=["李娜", "部党组书记"], topics=["一季度全面从严治党形势"], minutes="会商纪要……",
                      actions=[{"text": "完善三重一大决策报备", "owner": "办公厅", "due": date(2025, 4, 30)}])
    [action_id] = result["action_ids"]
    ctx.call("zhang.wei", "complete_consultation_action", consultation_id=result["consultation_id"],
             action_id=action_id, note="已印发报备办法")
    consultation = ctx.app.get_consultation(result["consultation_id"])
    assert consultation["actions"][0]["done"]["note"] == "已印发报备办法"
    assert consultation["actions"][0]["due"] == "2025-04-30"
    with pytest.raises(InvalidInputError):
        ctx.call("li.na", "hold_consultation", unit_id="unit-mee", kind="regular", held_on=date(2025, 3, 3),
                 participants=[], topics=[], minutes="x")
    announced = ctx.call("li.na", "announce_joint_supervision", unit_id="unit-mee", title="关于开展联合监督的通报",
                         body="驻部纪检监察组与部机关纪委联合开展……")
    announcement = ctx.app.get_announcement(announced["announcement_id"])
    assert announcement["distribution"] == "unit" and announcement["body"] == "驻部纪检监察组与部机关纪委联合开展……"


def test_every_published_payload_matches_its_contract(ctx: Ctx) -> None:
    from events.registry import decode

    test_power_list_and_risk_points_keep_their_history(ctx)
    test_consultation_records_minutes_and_agreed_actions(ctx)
    envelopes, _ = ctx.app.integration_events(0, 1000)
    assert len(envelopes) > 10
    for envelope in envelopes:
        decode(envelope)
