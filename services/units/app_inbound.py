"""Commands and queries of the unit liaison portal: submissions from the unit, each with a receipt."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date
from typing import Any

from services.common.application import command, query
from services.common.errors import NotFoundError
from services.units.attachments import AttachmentError, validate_attachment
from services.units.base import UnitsBase, jsonable
from services.units.inbound import INBOUND_KINDS, InboundSubmission, normalise_details, receipt_number
from services.units.outbound import REPLY_KIND, OutboundItem
from services.units.power import PowerMatter


class InboundCommands(UnitsBase):
    @command
    def upload_attachment(
        self, filename: str, content_base64: str, declared_sha256: str | None = None
    ) -> dict[str, Any]:
        """Store an attachment by its SHA-256 (size, type and declared hash checked); events then refer to it.

        The content travels as base64 so the command is the same in-process and over HTTP.
        """
        try:
            data = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise AttachmentError("附件内容编码错误 (content is not base64)", code="attachment_encoding") from error
        meta = validate_attachment(data, filename, declared_sha256)
        self.blobs.put(data)
        return dict(meta, position=0)

    def _new_submission(
        self, unit_id: str, kind: str, title: str, details: dict[str, Any],
        attachments: list[dict[str, Any]] | None, answers_item_id: str | None = None,
    ) -> InboundSubmission:
        unit = self.unit(unit_id)
        clean = normalise_details(kind, details)
        refs = self.attachments(attachments)
        InboundSubmission.check_submission(kind, title, refs)
        submission_id = str(uuid.uuid4())
        now = self.clock.now()
        return InboundSubmission(
            submission_id=submission_id, group_id=unit.group_id, unit_id=unit.unit_id, kind=kind,
            title=title.strip(), details=clean, attachments=refs, submitted_by=self.actor()["user"],
            receipt_number=receipt_number(kind, self.today().year, submission_id), received_at=now.isoformat(),
            answers_item_id=answers_item_id,
        )

    def _receipt(self, submission: InboundSubmission, *others: Any) -> dict[str, Any]:
        position = self.record(submission, *others)
        return {
            "submission_id": str(submission.id),
            "receipt": {"number": submission.receipt_number, "received_at": submission.received_at,
                        "kind_label": INBOUND_KINDS[submission.kind][1]},
            "position": position,
        }

    @command
    def notify_directive(
        self, unit_id: str, title: str, reference_number: str, issuer: str, issued_on: date, received_on: date,
        lead_department: str, attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The unit notifies the group of a directive it received (opens the closed loop in the ledgers)."""
        details = {"reference_number": reference_number, "issuer": issuer, "issued_on": issued_on,
                   "received_on": received_on, "lead_department": lead_department}
        return self._receipt(self._new_submission(unit_id, "directive_notification", title, details, attachments))

    @command
    def submit_progress_report(
        self, unit_id: str, title: str, subject_ref: str, period: str, summary: str,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A progress report on a directive or matter (进展情况)."""
        details = {"subject_ref": subject_ref, "period": period, "summary": summary}
        return self._receipt(self._new_submission(unit_id, "progress_report", title, details, attachments))

    @command
    def submit_supervision_report(
        self, unit_id: str, title: str, period: str, items: list[dict[str, Any]],
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The unit's own supervision report (督查专报), the other side of reconciliation."""
        details = {"period": period, "items": items}
        return self._receipt(self._new_submission(unit_id, "supervision_report", title, details, attachments))

    @command
    def submit_rectification_report(
        self, unit_id: str, title: str, subject_ref: str, summary: str, completed: bool = False,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """What the unit did about a rectification item (整改情况)."""
        details = {"subject_ref": subject_ref, "summary": summary, "completed": completed}
        return self._receipt(self._new_submission(unit_id, "rectification_report", title, details, attachments))

    @command
    def submit_situation_notice(
        self, unit_id: str, title: str, category: str, summary: str, occurred_on: date,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """An important-situation notice (重要情况通报)."""
        details = {"category": category, "summary": summary, "occurred_on": occurred_on}
        return self._receipt(self._new_submission(unit_id, "situation_notice", title, details, attachments))

    @command
    def submit_democratic_evaluation(
        self, unit_id: str, title: str, cadre: str, post: str, year: int, grade: str, summary: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A cadre's democratic-evaluation result (民主测评)."""
        details = {"cadre": cadre, "post": post, "year": year, "grade": grade, "summary": summary}
        return self._receipt(self._new_submission(unit_id, "democratic_evaluation", title, details, attachments))

    @command
    def submit_duty_integrity_report(
        self, unit_id: str, title: str, cadre: str, post: str, year: int, summary: str,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A cadre's annual duty-and-integrity report (述责述廉)."""
        details = {"cadre": cadre, "post": post, "year": year, "summary": summary}
        return self._receipt(self._new_submission(unit_id, "duty_integrity_report", title, details, attachments))

    @command
    def reply_integrity_opinion(
        self, unit_id: str, title: str, cadre: str, request_ref: str, opinion: str, summary: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The unit's integrity-opinion reply about a cadre (廉政意见回函)."""
        details = {"cadre": cadre, "request_ref": request_ref, "opinion": opinion, "summary": summary}
        return self._receipt(self._new_submission(unit_id, "integrity_opinion_reply", title, details, attachments))

    @command
    def reply_to_outbound(
        self, item_id: str, title: str, summary: str, completed: bool = False, period: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The unit answers feedback, a recommendation, a document or scheduling request (recorded on the item)."""
        item: OutboundItem = self.load(item_id, OutboundItem)
        reply_kind = REPLY_KIND[item.kind]
        item.check_answer(reply_kind)
        subject = item.source_ref or str(item.id)
        if reply_kind == "progress_report":
            details: dict[str, Any] = {"subject_ref": subject, "period": period or self.today().strftime("%Y-%m"),
                                       "summary": summary}
        else:
            details = {"subject_ref": subject, "summary": summary, "completed": completed}
        submission = self._new_submission(item.unit_id, reply_kind, title, details, attachments, str(item.id))
        item.answer(submission_id=str(submission.id), summary=summary.strip(), completed=completed,
                    answered_on=self.today())
        return dict(self._receipt(submission, item), item_id=item_id, item_status=item.status)

    @command
    def report_power_matter(
        self, unit_id: str, category: str, title: str, department_id: str, decided_on: date,
        amount_yuan: int | None = None, attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The unit reports a 三重一大 matter; the group's record of it is created with the receipt."""
        unit = self.unit(unit_id)
        department = unit.department(department_id)
        PowerMatter.check_registration(category, title, "unit_report", None, amount_yuan)
        details = {"category": category, "department_id": department_id, "decided_on": decided_on.isoformat(),
                   "amount_yuan": amount_yuan}
        submission = self._new_submission(unit_id, "power_matter_report", title, details, attachments)
        matter = PowerMatter(
            group_id=unit.group_id, unit_id=unit_id, category=category, title=title.strip(),
            department_id=department_id, department_name=department["name"], decided_on=decided_on,
            source="unit_report", meeting=None, amount_yuan=amount_yuan, submission_id=str(submission.id),
            registered_by=self.actor()["user"],
        )
        return dict(self._receipt(submission, matter), matter_id=str(matter.id))

    @command
    def review_submission(self, submission_id: str, note: str = "") -> dict[str, Any]:
        """The group marks a submission as reviewed (已阅), with a note."""
        submission: InboundSubmission = self.load(submission_id, InboundSubmission)
        submission.check_review()
        submission.review(reviewer=self.actor()["user"], note=note.strip())
        return {"submission_id": submission_id, "position": self.record(submission)}

    # -- queries ----------------------------------------------------------------------------
    @staticmethod
    def submission_view(submission: InboundSubmission) -> dict[str, Any]:
        return {
            "submission_id": str(submission.id),
            "group_id": submission.group_id,
            "unit_id": submission.unit_id,
            "distribution": submission.default_distribution,
            "kind": submission.kind,
            "kind_label": INBOUND_KINDS[submission.kind][1],
            "title": submission.title,
            "details": jsonable(submission.details),
            "attachments": submission.attachments,
            "submitted_by": submission.submitted_by,
            "receipt": {"number": submission.receipt_number, "received_at": submission.received_at},
            "answers_item_id": submission.answers_item_id,
            "reviewed": submission.reviewed,
            "version": submission.version,
        }

    @query
    def get_submission(self, submission_id: str) -> dict[str, Any]:
        """One submission with its receipt and attachments."""
        return self.submission_view(self.load(submission_id, InboundSubmission))

    @query
    def list_submissions(self, unit_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """The unit's submissions, newest first (optionally of one kind)."""
        found = self.all_of(InboundSubmission.Submitted, InboundSubmission, unit_id)
        rows = [self.submission_view(s) for s in found if kind is None or s.kind == kind]
        return sorted(rows, key=lambda r: r["receipt"]["received_at"], reverse=True)

    @query
    def get_attachment(self, sha256: str) -> dict[str, Any]:
        """A stored attachment as base64 (the gateway checks the reader may see a record that cites it)."""
        data = self.blobs.get(sha256.strip().lower())
        if data is None:
            raise NotFoundError("附件不存在 (attachment not found)", code="attachment_not_found")
        return {"sha256": sha256.strip().lower(), "content_base64": base64.b64encode(data).decode()}
