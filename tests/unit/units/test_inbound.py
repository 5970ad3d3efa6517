from __future__ import annotations

from datetime import date

import pytest

from events.registry import decode
from services.common.errors import InvalidInputError, NotFoundError
from services.units.application import UnitsApplication
from tests.unit.units.conftest import Ctx, submissions_of


def published(app: UnitsApplication, type_name: str) -> list[dict[str, object]]:
    envelopes, _ = app.integration_events(0, 1000)
    return [e.model_dump() for e in envelopes if e.type == type_name]


def test_directive_notification_gets_a_receipt_and_opens_the_ledgers_loop(ctx: Ctx) -> None:
    result = ctx.call("zhao.unit", "notify_directive", unit_id="unit-mee", title="关于深入打好污染防治攻坚战的意见",
                      reference_number="中发〔2025〕1号", issuer="中共中央", issued_on=date(2025, 2, 20),
                      received_on=date(2025, 2, 25), lead_department="大气环境司")
    assert result["receipt"]["number"].startswith("ZS-2025-")
    assert result["receipt"]["received_at"].startswith("2025-03-03")
    [envelope] = published(ctx.app, "units.DirectiveNotified")
    assert envelope["distribution"] == "unit" and envelope["unit_id"] == "unit-mee"
    assert envelope["group_id"] == "group-mee"
    assert envelope["payload"]["notification_id"] == result["submission_id"]
    assert envelope["payload"]["lead_department"] == "大气环境司"


def test_notification_received_before_issued_is_refused(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhao.unit", "notify_directive", unit_id="unit-mee", title="某文件", reference_number="x",
                 issuer="国务院", issued_on=date(2025, 2, 20), received_on=date(2025, 2, 1), lead_department="办公厅")
    assert refused.value.code == "received_before_issued"


def test_supervision_report_items_are_validated_and_published_for_reconciliation(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhao.unit", "submit_supervision_report", unit_id="unit-mee", title="督查专报", period="2025Q1",
                 items=[{"reference_number": "a", "title": "b", "status": "almost"}])
    assert refused.value.code == "status_invalid"
    ctx.call("zhao.unit", "submit_supervision_report", unit_id="unit-mee", title="2025年第一季度督查专报",
             period="2025Q1", items=[{"reference_number": "中发〔2025〕1号", "title": "意见", "status": "in_progress"}])
    [envelope] = published(ctx.app, "units.SupervisionReportSubmitted")
    payload = envelope["payload"]
    assert payload["period"] == "2025Q1" and payload["items"][0]["status"] == "in_progress"


def test_each_inbound_kind_publishes_its_contract(ctx: Ctx) -> None:
    c = ctx.call
    c("zhao.unit", "submit_progress_report", unit_id="unit-mee", title="进展", subject_ref="中发〔2025〕1号",
      period="2025-03", summary="已召开党组会传达学习")
    c("zhao.unit", "submit_rectification_report", unit_id="unit-mee", title="整改", subject_ref="item-1",
      summary="已完成整改", completed=True)
    c("zhao.unit", "submit_situation_notice", unit_id="unit-mee", title="通报", category="信访",
      summary="收到群众来信", occurred_on=date(2025, 3, 1))
    c("zhao.unit", "submit_democratic_evaluation", unit_id="unit-mee", title="民主测评", cadre="某司长",
      post="大气环境司司长", year=2024, grade="good")
    c("zhao.unit", "submit_duty_integrity_report", unit_id="unit-mee", title="述责述廉", cadre="某司长",
      post="大气环境司司长", year=2024, summary="年度述责述廉")
    c("zhao.unit", "reply_integrity_opinion", unit_id="unit-mee", title="廉政意见回函", cadre="某处长",
      request_ref="驻部纪检监察组函〔2025〕3号", opinion="no_objection")
    envelopes, _ = ctx.app.integration_events(0, 1000)
    types = {e.type for e in envelopes}
    assert {"units.ProgressReported", "units.RectificationReported", "units.SituationNoticed",
            "units.DemocraticEvaluationReported", "units.DutyIntegrityReportSubmitted",
            "units.IntegrityOpinionReplied"} <= types
    for envelope in envelopes:
        decode(envelope)  # every published payload matches its contract
    kinds = {s["kind"] for s in submissions_of(ctx.app, "unit-mee")}
    assert len(kinds) == 6


@pytest.mark.parametrize(
    ("command", "kwargs", "code"),
    [
        ("submit_democratic_evaluation", {"title": "测评", "cadre": "x", "post": "y", "year": 24, "grade": "good"},
         "year_invalid"),
        ("submit_democratic_evaluation", {"title": "测评", "cadre": "x", "post": "y", "year": 2024, "grade": "A"},
         "grade_invalid"),
        ("reply_integrity_opinion", {"title": "回函", "cadre": "", "request_ref": "r", "opinion": "objection"},
         "cadre_required"),
        ("submit_progress_report", {"title": " ", "subject_ref": "s", "period": "p", "summary": "x"},
         "title_required"),
    ],
)
def test_invalid_submissions_are_refused_with_a_clear_code(ctx: Ctx, command: str, kwargs: dict[str, object],
                                                           code: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhao.unit", command, unit_id="unit-mee", **kwargs)
    assert refused.value.code == code
    assert "(" in refused.value.message


def test_submission_for_an_unregistered_unit_is_refused(ctx: Ctx) -> None:
    with pytest.raises(NotFoundError):
        ctx.call("zhao.unit", "submit_progress_report", unit_id="unit-xyz", title="进展", subject_ref="s",
                 period="p", summary="x")


def test_group_reviews_a_submission_once(ctx: Ctx) -> None:
    result = ctx.call("zhao.unit", "submit_progress_report", unit_id="unit-mee", title="进展", subject_ref="s",
                      period="2025-03", summary="x")
    ctx.call("zhang.wei", "review_submission", submission_id=result["submission_id"], note="已阅")
    assert ctx.app.get_submission(result["submission_id"])["reviewed"] == {"reviewer": "zhang.wei", "note": "已阅"}
    with pytest.raises(Exception, match="already reviewed"):
        ctx.call("zhang.wei", "review_submission", submission_id=result["submission_id"])


def test_reviewing_a_submission_is_published_to_the_unit_without_the_note(ctx: Ctx) -> None:
    result = ctx.call("zhao.unit", "notify_directive", unit_id="unit-mee", title="关于深入打好污染防治攻坚战的意见",
                      reference_number="中发〔2025〕1号", issuer="中共中央", issued_on=date(2025, 2, 20),
                      received_on=date(2025, 2, 25), lead_department="大气环境司")
    assert published(ctx.app, "units.SubmissionReviewed") == []
    ctx.call("zhang.wei", "review_submission", submission_id=result["submission_id"], note="组内意见：需跟踪")
    [envelope] = published(ctx.app, "units.SubmissionReviewed")
    assert (envelope["distribution"], envelope["unit_id"], envelope["group_id"]) == ("unit", "unit-mee", "group-mee")
    assert envelope["payload"] == {"submission_id": result["submission_id"], "reviewed_on": "2025-03-03"}
