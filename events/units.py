"""Integration-event contracts of the unit channels service."""

from __future__ import annotations

from datetime import date

from events.registry import Contract, contract


@contract("units.DirectiveNotified", 1)
class DirectiveNotified(Contract):
    """The unit notified the group that it received a directive: opens the ledgers' closed loop."""

    notification_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str


class ReportedItem(Contract):
    reference_number: str
    title: str
    status: str
    """one of: not_started, in_progress, completed"""


@contract("units.SupervisionReportSubmitted", 1)
class SupervisionReportSubmitted(Contract):
    """The unit's own supervision report (督查专报): the other side of reconciliation (对账)."""

    report_id: str
    period: str
    items: list[ReportedItem]


@contract("units.RectificationReported", 1)
class RectificationReported(Contract):
    """The unit reports what it did about a rectification item or recommendation."""

    report_id: str
    subject_ref: str
    """the id of the rectification item, problem or recommendation it answers"""
    summary: str
    completed: bool
