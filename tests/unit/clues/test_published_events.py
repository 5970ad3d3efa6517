"""What the clues service publishes: statistics-safe facts only, for the group and HQ, never the unit."""

from __future__ import annotations

import json
from datetime import date, timedelta

from events.inspections import ClueReferred
from events.registry import decode
from events.sealed import seal
from services.clues.application import CluesApplication
from services.common.clock import ManualClock
from tests.factories import acting_as, make_envelope, payload_of
from tests.unit.clues.conftest import as_leader, as_staff, assess_and_propose, register

SECRETS = {
    "names": ["欧阳明远", "司马青竹", "上官若水", "贾卫东"],
    "posts_units": ["水生态环境司", "大气环境司", "副司长", "处长甲"],
    "texts": [
        "违规收受管理服务对象礼金十二万元",
        "在项目评审中打招呼干预结果",
        "政治分析：破坏政治生态的苗头",
        "谈话中承认部分事实",
        "书面说明称系正常往来",
        "初核查明收受礼金属实",
        "经集体研究予以立案",
        "集体排查一致意见",
        "新的举报材料反映问题升级",
        "联合排查理由说明",
        "机关纪委排查结论",
        "巡视移交摘要文字",
        "分管领导加入理由",
    ],
}


def run_full_lifecycle(app: CluesApplication, clock: ManualClock, public_key: str) -> None:
    first = register(app, subject_name="欧阳明远", subject_unit="水生态环境司", subject_post="副司长",
                     summary="违规收受管理服务对象礼金十二万元", key_person=False)
    second = register(app, subject_name="司马青竹", subject_unit="大气环境司", subject_post="处长甲",
                      summary="在项目评审中打招呼干预结果")
    third = register(app, subject_name="上官若水", key_person=True, summary="在项目评审中打招呼干预结果")
    with as_staff(app):
        app.record_screening(first, date(2025, 3, 4), [{"user": "li.na", "conclusion": "集体排查一致意见"}], "集体排查一致意见")
        app.note_assessment(first, "政治分析：破坏政治生态的苗头", "")
        app.propose_disposition(first, "preliminary_verification", "初核理由")
    with as_leader(app):
        app.add_member(first, "wang.qiang", "分管领导加入理由")
        app.decide_disposition(first, approved=True)
    with as_staff(app):
        app.record_verification(first, date(2025, 4, 20), "初核查明收受礼金属实", substantiated=True)
        app.conclude_clue(first, "case_filed", "经集体研究予以立案", four_forms=4)
    assess_and_propose(app, second, "inquiry")
    with as_leader(app):
        app.decide_disposition(second, approved=True)
    with as_staff(app):
        app.record_inquiry(second, "letter", date(2025, 3, 10), "谈话中承认部分事实")
        app.record_inquiry_reply(second, date(2025, 3, 20), "书面说明称系正常往来")
        app.conclude_clue(second, "closed", "书面说明称系正常往来", four_forms=1)
    with as_leader(app):
        app.reopen_clue(second, "新的举报材料反映问题升级")
        app.share_for_joint_screening(second, ["zhao.unit"], ["allegations"], "联合排查理由说明")
    with app.acting(acting_as("zhao.unit", "unit-mee", "unit_liaison")):
        app.read_joint_screening(second, "zhao.unit", "机关纪委排查结论")
    with as_leader(app):
        app.conclude_joint_screening(second, "机关纪委排查结论")
        rec = app.draft_recommendation("group-mee", "unit-mee", "建议〔2025〕3号", "关于加强审批廉政风险防控的建议",
                                       ["审批环节存在廉政风险"], ["完善审批权力清单"], "办公厅", date(2025, 9, 30),
                                       source_clue_ids=[first])["recommendation_id"]
        app.issue_recommendation(rec)
    referral = ClueReferred(referral_id="ref-9", round_id="round-9", activity_id=None, sealed_content=seal({
        "subject_name": "贾卫东", "subject_unit": "核与辐射安全监管司", "subject_post": "处长",
        "key_person": False, "categories": ["work"], "summary": "巡视移交摘要文字"}, public_key))
    envelope = make_envelope(referral, service="inspections", position=1)
    app.process_integration_event(envelope, payload_of(envelope))
    clock.advance(timedelta(days=200))
    app.record_overdue()
    assert third


def test_no_published_event_contains_names_posts_allegations_notes_or_reasons(
    app: CluesApplication, clock: ManualClock, keypair: tuple[str, str]
) -> None:
    run_full_lifecycle(app, clock, keypair[1])
    envelopes, _ = app.integration_events(0, 10_000)
    assert len(envelopes) > 15
    text = "\n".join(e.to_bytes().decode("utf-8") for e in envelopes)
    ascii_text = "\n".join(json.dumps(e.model_dump(mode="json")) for e in envelopes)
    for group in SECRETS.values():
        for secret in group:
            assert secret not in text, secret
            assert json.dumps(secret).strip('"') not in ascii_text, secret
    # And the facts dashboards need are there.
    types = {e.type for e in envelopes}
    assert {"clues.ClueRegistered", "clues.ClueStatusChanged", "clues.ClueOverdue", "clues.RecommendationIssued"} <= types
    for envelope in envelopes:
        decode(envelope)  # every payload matches its contract


def test_clue_events_go_to_group_and_hq_and_only_recommendations_to_the_unit(
    app: CluesApplication, clock: ManualClock, keypair: tuple[str, str]
) -> None:
    run_full_lifecycle(app, clock, keypair[1])
    envelopes, _ = app.integration_events(0, 10_000)
    for envelope in envelopes:
        if envelope.type.startswith("clues.Recommendation"):
            # a draft stays in the group; what was issued (and its follow-up) goes to the unit
            assert envelope.distribution == ("group" if envelope.type == "clues.RecommendationDrafted" else "unit")
            assert "clue" not in json.dumps(envelope.payload)
        else:
            assert envelope.distribution == "hq", envelope.type
            assert envelope.group_id == "group-mee"
