"""Supervision activities: the kinds and their methods, whole-process record, findings to items or clues."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from events import sealed
from services.common.errors import ConflictError, InvalidInputError
from services.inspections.application import InspectionsApplication
from tests.factories import payload_of
from tests.unit.inspections.conftest import CONTENT, GROUP_MWR, handoff_lists, published


def plan(app: InspectionsApplication, **overrides: Any) -> str:
    kwargs: dict[str, Any] = {
        "group_id": "group-mee", "unit_id": "unit-mee", "kind": "tracking",
        "title": "中央生态环境保护督察整改跟踪问效", "plan": "调阅资料、个别谈话、实地检查",
        "participant_ids": ["zhang.wei", "zhou.min"], "methods": ["document_review", "talk", "site_check"],
        "start_on": date(2025, 4, 1), "end_on": date(2025, 4, 30),
    }
    result: str = app.plan_activity(**(kwargs | overrides))["activity_id"]
    return result


def started(app: InspectionsApplication, **overrides: Any) -> str:
    activity_id = plan(app, **overrides)
    app.start_activity(activity_id, date(2025, 4, 1))
    return activity_id


@pytest.mark.parametrize(
    ("kind", "methods", "extra"),
    [
        ("embedded", ["joint_enforcement"], {}),
        ("tracking", ["document_review", "talk", "phone_inquiry", "site_check"], {}),
        ("pinpoint", ["leader_led_research", "site_check"], {"leader_id": "li.na", "participant_ids": ["li.na"]}),
        ("joint", ["document_review"], {"hq_offices": ["第三监督检查室"]}),
        ("consultation", ["consultation_meeting"], {}),
        ("special", ["talk", "meeting_supervision", "onsite_research", "site_check"], {}),
    ],
)
def test_every_kind_can_be_planned(
    app: InspectionsApplication, kind: str, methods: list[str], extra: dict[str, Any]
) -> None:
    activity_id = plan(app, kind=kind, methods=methods, **extra)
    view = app.get_activity(activity_id)
    assert view["kind"] == kind and view["methods"] == methods and view["status"] == "planned"
    [envelope] = published(app, "inspections.SupervisionActivityPlanned")
    assert envelope.payload["kind"] == kind and envelope.distribution == "hq"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "gossip"}, "unknown_kind"),
        ({"methods": ["meeting_supervision"]}, "method_not_allowed"),  # not a tracking method
        ({"kind": "special", "methods": ["phone_inquiry"]}, "method_not_allowed"),
        ({"methods": []}, "methods_required"),
        ({"participant_ids": []}, "participants_required"),
        ({"kind": "pinpoint", "methods": ["site_check"]}, "leader_required"),
        ({"kind": "pinpoint", "methods": ["site_check"], "leader_id": "li.na"}, "leader_not_participant"),
        ({"kind": "joint", "methods": ["talk"]}, "hq_offices_required"),
        ({"end_on": date(2025, 3, 1)}, "dates_invalid"),
        ({"plan": " "}, "plan_required"),
    ],
)
def test_invalid_plans_are_refused(app: InspectionsApplication, overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        plan(app, **overrides)
    assert error.value.code == code


def test_work_is_recorded_only_under_way_and_with_planned_methods(app: InspectionsApplication) -> None:
    activity_id = plan(app)
    with pytest.raises(ConflictError):
        app.record_activity_work(activity_id, "talk", date(2025, 4, 2), "与司领导谈话")
    app.start_activity(activity_id, date(2025, 4, 1))
    with pytest.raises(ConflictError):
        app.start_activity(activity_id, date(2025, 4, 2))
    app.record_activity_work(activity_id, "talk", date(2025, 4, 2), "与司领导谈心谈话")
    with pytest.raises(InvalidInputError) as error:
        app.record_activity_work(activity_id, "phone_inquiry", date(2025, 4, 3), "电话问询")
    assert error.value.code == "method_not_planned"
    [record] = app.get_activity(activity_id)["records"]
    assert record["method"] == "talk" and record["participant_ids"] == ["zhang.wei", "zhou.min"]


def test_findings_need_the_activity_under_way(app: InspectionsApplication) -> None:
    activity_id = plan(app)
    with pytest.raises(ConflictError):
        app.record_activity_finding(activity_id, "问题")


def test_finding_becomes_a_rectification_item(app: InspectionsApplication) -> None:
    activity_id = started(app)
    finding_id = app.record_activity_finding(activity_id, "督察整改台账更新不及时")["finding_id"]
    app.hand_over_activity_finding(activity_id, finding_id, "台账更新不及时", "perfunctory", "督察办",
                                   date(2025, 6, 30))
    [envelope] = published(app, "inspections.RectificationItemHandedOver")
    payload = payload_of(envelope)
    assert payload.activity_id == activity_id and payload.round_id is None and payload.item_id == finding_id
    assert payload.description == "督察整改台账更新不及时"
    assert envelope.distribution == "unit"
    assert [i["item_id"] for i in handoff_lists(app, unit_id="unit-mee")["items"]] == [finding_id]


def test_finding_becomes_a_sealed_clue(app: InspectionsApplication, keys: tuple[str, str]) -> None:
    activity_id = started(app, kind="pinpoint", methods=["leader_led_research"], leader_id="li.na",
                          participant_ids=["li.na", "zhang.wei"])
    finding_id = app.record_activity_finding(activity_id, "发现个别干部涉嫌违规")["finding_id"]
    app.refer_activity_finding(activity_id, finding_id, **CONTENT)
    [envelope] = published(app, "inspections.ClueReferred")
    assert envelope.payload["activity_id"] == activity_id and envelope.payload["round_id"] is None
    assert sealed.unseal(envelope.payload["sealed_content"], keys[0]) == CONTENT
    assert "王某某".encode() not in envelope.to_bytes()
    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=1000))
    assert "王某某".encode() not in stored


def test_a_finding_is_handled_only_once(app: InspectionsApplication) -> None:
    activity_id = started(app)
    finding_id = app.record_activity_finding(activity_id, "问题")["finding_id"]
    app.refer_activity_finding(activity_id, finding_id, **CONTENT)
    with pytest.raises(ConflictError) as error:
        app.hand_over_activity_finding(activity_id, finding_id, "问题", "other", "办公厅", date(2025, 6, 30))
    assert error.value.code == "finding_already_handled"
    with pytest.raises(ConflictError):
        app.refer_activity_finding(activity_id, finding_id, **CONTENT)


def test_complete_once_and_findings_can_still_be_handed_over(app: InspectionsApplication) -> None:
    activity_id = started(app)
    finding_id = app.record_activity_finding(activity_id, "问题")["finding_id"]
    with pytest.raises(InvalidInputError):
        app.complete_activity(activity_id, " ", date(2025, 4, 30))
    app.complete_activity(activity_id, "督促整改到位", date(2025, 4, 30))
    with pytest.raises(ConflictError):
        app.complete_activity(activity_id, "再次完成", date(2025, 4, 30))
    with pytest.raises(ConflictError):
        app.record_activity_finding(activity_id, "完成后的问题")
    app.hand_over_activity_finding(activity_id, finding_id, "问题", "inaction", "办公厅", date(2025, 6, 30))
    [done] = published(app, "inspections.SupervisionActivityCompleted")
    assert done.payload["findings"] == 1


def test_list_activities_by_kind(app: InspectionsApplication) -> None:
    tracking = plan(app)
    plan(app, kind="consultation", methods=["consultation_meeting"])
    assert [a["activity_id"] for a in handoff_lists(app, kind="tracking")["activities"]] == [tracking]
    assert len(handoff_lists(app, unit_id="unit-mee")["activities"]) == 2
    assert handoff_lists(app, GROUP_MWR)["activities"] == []


def test_work_recorded_is_published_without_its_summary(app: InspectionsApplication) -> None:
    activity_id = started(app)
    app.record_activity_work(activity_id, "talk", date(2025, 4, 2), "与司领导谈心谈话，了解到敏感情况")
    [work] = published(app, "inspections.SupervisionWorkRecorded")
    assert work.payload == {"activity_id": activity_id, "method": "talk", "held_on": "2025-04-02",
                            "participant_count": 2}
    assert work.distribution == "hq" and payload_of(work).held_on == date(2025, 4, 2)
    assert "谈心" not in work.model_dump_json()
