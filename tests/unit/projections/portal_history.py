"""A small fixed history for the unit portal, with what each unit's to-do list must show (computed by hand).

unit-mee (group-mee) is asked for one recommendation three ways (clues, two ledger items, the units
service's item), has a closed recommendation, a task it answered with a report, an overdue scheduling
round, answered feedback and a withdrawn document request. unit-mwr (group-mwr) has one task and one
notification. Clue events are planted too (one mislabelled `unit`): they must change nothing.
"""

from __future__ import annotations

from datetime import date

from events import clues, ledgers, units
from events.envelope import Envelope
from events.registry import Contract
from events.topics import topic_for
from runtime.projection_runner import Item
from tests.factories import make_envelope

MEE = {"group_id": "group-mee", "unit_id": "unit-mee"}
MWR = {"group_id": "group-mwr", "unit_id": "unit-mwr"}


def published(service: str, position: int, payload: Contract, where: dict[str, str], distribution: str = "unit") -> Envelope:
    return make_envelope(payload, service=service, position=position, distribution=distribution,
                         stream_id=f"{service}-{position}", group_id=where["group_id"], unit_id=where["unit_id"])


def _item(item_id: str, title: str, due: date, source: str = "group", ref: str | None = None) -> ledgers.ItemOpened:
    return ledgers.ItemOpened(item_id=item_id, directive_id=None, list_kind="implementation" if ref else "task",
                              title=title, owner="办公厅", deadline_rule=None, due_on=due, problem_type=None,
                              source=source, source_ref=ref)


def _recommendation(rid: str, number: int, deadline: date) -> clues.RecommendationIssued:
    return clues.RecommendationIssued(
        recommendation_id=rid, reference_number=f"驻部纪检监察组建议〔2025〕{number}号", title=f"关于规范审批的建议{number}",
        problems=["审批不规范"], recommendations=["建立台账", "定期检查"], responsible_department="办公厅",
        deadline=deadline)


def clue_events() -> list[Envelope]:
    """Clue facts of unit-mee: statistics only, never for the unit (one wrongly labelled `unit`)."""
    return [
        published("clues", 2, clues.ClueRegistered(clue_id="clue-1", source="petition", categories=["integrity"],
                                            key_person=True, received_on=date(2025, 3, 2), status="registered",
                                            referral_id=None, disposition_due_on=date(2025, 3, 30)), MEE, "hq"),
        published("clues", 3, clues.ClueStatusChanged(clue_id="clue-1", status="preliminary_verification",
                                               disposition="verification", four_forms=2, result=None,
                                               due_on=None), MEE, "unit"),
        published("clues", 4, clues.ClueOverdue(clue_id="clue-1", deadline="disposition", due_on=date(2025, 3, 30)),
           MEE, "hq"),
    ]


def history(with_clues: bool = True) -> dict[str, list[Envelope]]:
    """Per service, in publication order."""
    clue_stream = [
        published("clues", 1, _recommendation("rec-1", 1, date(2025, 4, 30)), MEE),
        *(clue_events() if with_clues else []),
        published("clues", 5, _recommendation("rec-2", 2, date(2025, 5, 31)), MEE),
        published("clues", 6, clues.RecommendationClosed(recommendation_id="rec-2", closed_on=date(2025, 5, 20)), MEE),
    ]
    ledger_stream = [
        published("ledgers", 1, _item("li-1", "第1条：建立台账", date(2025, 4, 30), "clue", "rec-1"), MEE),
        published("ledgers", 2, _item("li-2", "第2条：定期检查", date(2025, 4, 30), "clue", "rec-1"), MEE),
        published("ledgers", 3, _item("li-3", "督察整改方案报送", date(2025, 4, 15)), MEE),
        published("ledgers", 4, ledgers.SchedulingRoundOpened(round_id="sr-1", subject="一季度落实进展调度",
                                                       directive_ids=["d-1"], respond_by=date(2025, 4, 10)), MEE),
        published("ledgers", 5, ledgers.SchedulingRoundOverdue(round_id="sr-1", respond_by=date(2025, 4, 10),
                                                        detected_on=date(2025, 4, 11), missing_directive_ids=["d-1"]),
           MEE),
        published("ledgers", 6, _item("li-4", "水利专项整治", date(2025, 4, 20)), MWR),
        published("ledgers", 7, ledgers.DirectiveNotificationLinked(directive_id="d-1", notification_id="n-1",
                                                             opened_loop=True), MEE, "hq"),
        published("ledgers", 8, _item("li-5", "第1条：建立台账", date(2025, 5, 31), "clue", "rec-2"), MEE),
    ]
    unit_stream = [
        published("units", 1, units.OutboundIssued(item_id="ob-1", kind="recommendation", title="关于规范审批的建议1",
                                            reference_number="驻部纪检监察组建议〔2025〕1号", counterpart_id="bgt",
                                            counterpart_name="办公厅", level="bureau", signed_by="li.na",
                                            deadline=date(2025, 4, 30), issued_on=date(2025, 3, 5),
                                            source_ref="rec-1"), MEE),
        published("units", 2, units.DirectiveNotified(notification_id="n-1", reference_number="国办发〔2025〕12号",
                                               issuer="国务院办公厅", title="关于加强生态环境分区管控的意见",
                                               issued_on=date(2025, 3, 1), received_on=date(2025, 3, 3),
                                               lead_department="环评司"), MEE),
        published("units", 3, units.OutboundIssued(item_id="ob-2", kind="feedback", title="反馈意见", reference_number="5号",
                                            counterpart_id="party-group", counterpart_name="部党组", level="party_group",
                                            signed_by="li.na", deadline=date(2025, 4, 20),
                                            issued_on=date(2025, 3, 6)), MEE),
        published("units", 4, units.OutboundAnswered(item_id="ob-2", kind="feedback", submission_id="s-9", completed=True,
                                              answered_on=date(2025, 3, 20)), MEE),
        published("units", 5, units.SubmissionReviewed(submission_id="n-1", reviewed_on=date(2025, 3, 4)), MEE),
        published("units", 6, units.RectificationReported(report_id="r-1", subject_ref="li-3", summary="已报送整改方案",
                                                   completed=True), MEE),
        published("units", 7, units.OutboundIssued(item_id="ob-3", kind="document_request", title="调阅资料",
                                            reference_number="", counterpart_id="bgt", counterpart_name="办公厅",
                                            level="bureau", signed_by="zhang.wei", deadline=date(2025, 4, 1),
                                            issued_on=date(2025, 3, 7)), MEE),
        published("units", 8, units.OutboundWithdrawn(item_id="ob-3", kind="document_request", reason="误发"), MEE),
        published("units", 9, units.DirectiveNotified(notification_id="n-2", reference_number="水利部〔2025〕3号",
                                               issuer="国务院", title="关于水资源刚性约束的意见",
                                               issued_on=date(2025, 3, 2), received_on=date(2025, 3, 4),
                                               lead_department="水资源司"), MWR),
    ]
    return {"clues": clue_stream, "ledgers": ledger_stream, "units": unit_stream}


def as_items(envelopes: list[Envelope]) -> list[Item]:
    return [Item(topic_for(e.service), 0, e.position - 1, e) for e in envelopes]


def serial(streams: dict[str, list[Envelope]]) -> list[Envelope]:
    """Service after service."""
    return [e for service in sorted(streams) for e in streams[service]]


def interleaved(streams: dict[str, list[Envelope]]) -> list[Envelope]:
    """Round-robin over the services, the last service first (each service keeps its own order)."""
    queues = [list(streams[s]) for s in sorted(streams, reverse=True)]
    out: list[Envelope] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


TODO_MEE_ALL = {
    # todo_key: (kind, status, due_on, source_count)
    "recommendation:rec-1": ("recommendation", "open", "2025-04-30", 4),
    "recommendation:rec-2": ("recommendation", "closed", "2025-05-31", 2),
    "ledger-item:li-3": ("task", "answered", "2025-04-15", 1),
    "scheduling:sr-1": ("scheduling_round", "overdue", "2025-04-10", 1),
    "outbound:ob-2": ("feedback", "answered", "2025-04-20", 1),
}
TODO_MEE_PENDING_BY_DUE = ["scheduling:sr-1", "recommendation:rec-1"]
TODO_MWR_ALL = {"ledger-item:li-4": ("task", "open", "2025-04-20", 1)}
