"""Policies: other services' events delivered (twice) via process_integration_event, recorded once."""

from __future__ import annotations

from datetime import date

from events import clues, inspections, units
from services.ledgers.application import LedgersApplication
from tests.factories import make_envelope

from . import read_model as read
from .conftest import GROUP, UNIT, register


def notified(reference: str = "环办〔2025〕20号", notification_id: str = "n-1") -> units.DirectiveNotified:
    return units.DirectiveNotified(
        notification_id=notification_id, reference_number=reference, issuer="国务院办公厅",
        title="关于加强黄河流域生态保护的重要指示", issued_on=date(2025, 2, 10), received_on=date(2025, 2, 12),
        lead_department="生态环境监测司",
    )


def test_directive_notified_twice_opens_the_loop_once(app: LedgersApplication) -> None:
    envelope = make_envelope(notified(), service="units", position=7)
    assert app.process_integration_event(envelope, notified()) is True
    assert app.process_integration_event(envelope, notified()) is False
    (row,) = read.directives(app, group_id=GROUP)
    assert row["reference_number"] == "环办〔2025〕20号" and row["unit_id"] == UNIT
    assert row["notifications"] == ["n-1"]


def test_notification_of_a_registered_directive_links_to_it(app: LedgersApplication) -> None:
    directive_id = register(app, "环办〔2025〕20号")
    envelope = make_envelope(notified(), service="units", position=3)
    app.process_integration_event(envelope, notified())
    assert [r["directive_id"] for r in read.directives(app)] == [directive_id]
    assert app.get_directive(directive_id)["notifications"] == ["n-1"]


def test_notification_without_a_unit_is_ignored(app: LedgersApplication) -> None:
    envelope = make_envelope(notified(), service="units", position=1, unit_id=None)
    assert app.process_integration_event(envelope, notified()) is True
    assert read.directives(app) == []


def handed_over(item_id: str = "rect-1") -> inspections.RectificationItemHandedOver:
    return inspections.RectificationItemHandedOver(
        item_id=item_id, round_id="round-2025-1", activity_id=None, title="督察执法存在一刀切问题",
        description="部分地区对企业简单关停", problem_type="one_size_fits_all",
        responsible_department="生态环境执法局", deadline=date(2025, 6, 30),
    )


def test_rectification_item_handed_over_twice_is_recorded_once(app: LedgersApplication) -> None:
    envelope = make_envelope(handed_over(), service="inspections", position=11, distribution="inspection:round-2025-1")
    assert app.process_integration_event(envelope, handed_over()) is True
    assert app.process_integration_event(envelope, handed_over()) is False
    # a re-publication at a later position (relay restart) is also recognised
    later = make_envelope(handed_over(), service="inspections", position=12)
    app.process_integration_event(later, handed_over())
    (item,) = read.items(app)
    assert item["group_id"] == GROUP
    assert item["list_kind"] == "problem" and item["problem_type"] == "one_size_fits_all"
    assert item["source"] == "inspection" and item["source_ref"] == "rect-1"
    assert item["due_on"] == date(2025, 6, 30).isoformat() and item["owner"] == "生态环境执法局"


def test_unknown_problem_type_from_inspections_becomes_other(app: LedgersApplication) -> None:
    payload = handed_over().model_copy(update={"problem_type": "something_new"})
    app.process_integration_event(make_envelope(payload, service="inspections", position=1), payload)
    assert read.items(app)[0]["problem_type"] == "other"


def recommendation() -> clues.RecommendationIssued:
    return clues.RecommendationIssued(
        recommendation_id="rec-1", reference_number="驻环境部纪检监察组建〔2025〕1号", title="关于加强环评审批监管的建议",
        problems=["环评审批把关不严"], recommendations=["健全环评审批复核制度", "开展警示教育"],
        responsible_department="环境影响评价与排放管理司", deadline=date(2025, 7, 31),
    )


def test_recommendation_issued_twice_creates_its_implementation_items_once(app: LedgersApplication) -> None:
    for position in (5, 5, 6):
        app.process_integration_event(make_envelope(recommendation(), service="clues", position=position,
                                                    distribution="unit"), recommendation())
    items = read.items(app, source="clue")
    assert len(items) == 2
    assert {i["list_kind"] for i in items} == {"implementation"}
    assert all(i["source_ref"] == "rec-1" for i in items)


def test_rectification_reported_updates_the_items_it_answers(app: LedgersApplication) -> None:
    app.process_integration_event(make_envelope(recommendation(), service="clues", position=1), recommendation())
    report = units.RectificationReported(report_id="rep-9", subject_ref="rec-1", summary="已建立复核制度",
                                         completed=True)
    envelope = make_envelope(report, service="units", position=4)
    app.process_integration_event(envelope, report)
    app.process_integration_event(envelope, report)
    listed = read.items(app, source="clue")
    assert listed
    for item in listed:
        assert item["status"] == "done" and item["progress_reports"] == 1
        shown = app.get_item(item["item_id"])
        assert shown["evidence_refs"] == ["units:report:rep-9"]
        assert len(shown["progress"]) == 1


def test_rectification_reported_by_item_id(app: LedgersApplication) -> None:
    item_id = app.add_item(directive_id=register(app), list_kind="task", title="t", owner="o",
                           follower="zhou.min")["item_id"]
    report = units.RectificationReported(report_id="rep-1", subject_ref=item_id, summary="推进中", completed=False)
    app.process_integration_event(make_envelope(report, service="units", position=1), report)
    assert app.get_item(item_id)["status"] == "in_progress"


def test_supervision_report_is_reconciled_once(app: LedgersApplication) -> None:
    register(app, "环办〔2025〕1号")
    report = units.SupervisionReportSubmitted(report_id="sr-1", period="2025Q1", items=[
        units.ReportedItem(reference_number="环办〔2025〕1号", title="长江", status="not_started"),
        units.ReportedItem(reference_number="环办〔2025〕99号", title="木里", status="completed"),
    ])
    for position in (2, 2, 3):
        app.process_integration_event(make_envelope(report, service="units", position=position), report)
    (reconciliation,) = read.reconciliations(app)
    assert reconciliation["group_id"] == GROUP
    assert reconciliation["matched"] == 1
    assert [f["kind"] for f in reconciliation["findings"]] == ["missing_in_ledger"]
