"""The closed loop (闭环监督): the master-ledger index, scheduling rounds (调度) and reconciliations (对账)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from authz import Principal, Scope
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.vocab import REPORTED_STATUS_LABELS

_BRACKETS = str.maketrans({"[": "〔", "【": "〔", "［": "〔", "]": "〕", "】": "〕", "］": "〕"})


def normalize_reference(reference_number: str) -> str:
    """文号 as compared across the ledger and the unit's report: no spaces, one kind of year brackets."""
    return "".join(reference_number.split()).translate(_BRACKETS)


DuplicateReferenceError = ConflictError.kind("DuplicateReferenceError", "duplicate_reference")


class ReferenceReservation(ChainedAggregate):
    """Which directive holds one reference number (文号) in one unit's master ledger (总账).

    Its id is derived from the unit and the normalised reference number, and it is saved in the same
    transaction as the registration (or correction) that takes the number: two registrations of the same
    number cannot both succeed (the second is refused, or loses the optimistic-concurrency race), while
    registrations of different numbers touch different records and never conflict. A reservation holds a
    handful of events whatever the size of the ledger.
    """

    default_distribution = "hq"

    @staticmethod
    def create_id(unit_id: str, reference_number: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:ledgers:reference:{unit_id}:{normalize_reference(reference_number)}")

    @event("Reserved")
    def __init__(self, group_id: str, unit_id: str, reference_number: str, directive_id: str) -> None:
        self._keep(locals())
        self.reference = normalize_reference(reference_number)
        self.directive_id: str | None = directive_id

    @classmethod
    def reserve(cls, group_id: str, unit_id: str, reference_number: str, directive_id: str) -> ReferenceReservation:
        return cls(group_id=group_id, unit_id=unit_id, reference_number=reference_number, directive_id=directive_id)

    def check_free(self, directive_id: str | None = None) -> None:
        if self.directive_id is not None and self.directive_id != directive_id:
            raise DuplicateReferenceError(
                f"总账中已有该文号 (reference number already in the master ledger): {self.reference_number}"
            )

    def take(self, reference_number: str, directive_id: str) -> None:
        """Take a released number again (a withdrawn directive's number registered anew)."""
        self.check_free(directive_id)
        if self.directive_id != directive_id:
            self._take(reference_number=reference_number, directive_id=directive_id)

    @event("Taken")
    def _take(self, reference_number: str, directive_id: str) -> None:
        self.reference_number = reference_number
        self.directive_id = directive_id

    def release(self, directive_id: str) -> None:
        if self.directive_id == directive_id:
            self._release(directive_id=directive_id)

    @event("Released")
    def _release(self, directive_id: str) -> None:
        self.directive_id = None

    def access_scope(self) -> Scope | None:
        """An index entry of a directive (the directive is checked itself): nobody acts on it directly."""
        return None


class MasterLedger(ChainedAggregate):
    """Legacy: the one aggregate per unit that held every reference number, until `ReferenceReservation`.

    Kept so stores written before can be read and their entries carried over
    (`LedgerRecords.carry_over_master_ledgers`); nothing appends to it any more.
    """

    default_distribution = "hq"

    @staticmethod
    def create_id(unit_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:ledgers:master:{unit_id}")

    @event("Opened")
    def __init__(self, group_id: str, unit_id: str) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.entries: dict[str, str] = {}
        self.carried_over = False

    @event("EntryAdded")
    def _add_entry(self, reference_number: str, directive_id: str) -> None:
        self.entries[normalize_reference(reference_number)] = directive_id

    @event("EntryRekeyed")
    def _rekey(self, old_reference: str, new_reference: str, directive_id: str) -> None:
        self.entries.pop(normalize_reference(old_reference), None)
        self.entries[normalize_reference(new_reference)] = directive_id

    @event("EntryWithdrawn")
    def _remove_entry(self, reference_number: str, directive_id: str) -> None:
        self.entries.pop(normalize_reference(reference_number), None)

    def mark_carried_over(self, reservations: int) -> None:
        if not self.carried_over:
            self._carried_over(reservations=reservations)

    @event("CarriedOver")
    def _carried_over(self, reservations: int) -> None:
        self.carried_over = True

    def access_scope(self) -> Scope | None:
        return None


ROUND_STATUSES = tuple(REPORTED_STATUS_LABELS)
LEGACY_ANSWERER: dict[str, Any] = {"side": "group", "user": None, "name": None, "via": "entered"}
"""Who answered a response recorded before the unit could answer: only the group could enter one then."""


def answerer(principal: Principal | None, actor: dict[str, str], via: str = "entered") -> dict[str, Any]:
    """Who answered a round: the unit's own user, or the group entering the answer on the unit's behalf (a
    call without a principal, a script or the demo, enters as the group did before the unit could answer)."""
    if principal is None:
        return {"side": "group", "user": actor.get("user"), "name": None, "via": via}
    side = "unit" if principal.org_kind == "unit" else "group"
    return {"side": side, "user": principal.user_id, "name": principal.name or None, "via": via}


class SchedulingRound(ChainedAggregate):
    """A scheduling round (调度): the group asks the unit for progress on directives by a date."""

    default_distribution = "unit"
    reports_applied: tuple[str, ...] = ()
    """The unit's progress reports applied to the round (class defaults: a snapshot taken before issue #15
    has neither attribute)."""
    unmatched_reports: tuple[dict[str, Any], ...] = ()

    @event("Opened")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        subject: str,
        directive_ids: list[str],
        respond_by_rule: dict[str, Any],
        respond_by: date,
        requested_on: date,
    ) -> None:
        self._keep(locals())
        self.directive_ids = list(directive_ids)
        self.responses: dict[str, dict[str, Any]] = {}
        self.overdue_on: date | None = None
        self.closed = False

    @classmethod
    def open(
        cls,
        *,
        group_id: str,
        unit_id: str,
        subject: str,
        directive_ids: list[str],
        respond_by_rule: dict[str, Any],
        respond_by: date,
        requested_on: date,
    ) -> SchedulingRound:
        cls.check_opening(subject, directive_ids)
        return cls(group_id=group_id, unit_id=unit_id, subject=subject.strip(), directive_ids=list(directive_ids),
                   respond_by_rule=respond_by_rule, respond_by=respond_by, requested_on=requested_on)

    @staticmethod
    def check_opening(subject: str, directive_ids: list[str]) -> None:
        if not subject.strip():
            raise InvalidInputError("调度事项不能为空 (subject is required)", code="subject_required")
        if not directive_ids:
            raise InvalidInputError("须选择调度的批示件 (choose directives)", code="directives_required")

    def check_response(self, directive_id: str, status: str, summary: str) -> None:
        if self.closed:
            raise ConflictError("调度已结束 (round closed)", code="round_closed")
        if directive_id not in self.directive_ids:
            raise InvalidInputError("该批示件不在本轮调度中 (directive not in this round)", code="not_in_round")
        if status not in ROUND_STATUSES or not summary.strip():
            raise InvalidInputError("进展状态或说明无效 (invalid status or summary)", code="response_invalid")

    def record_response(self, directive_id: str, status: str, summary: str, responded_on: date,
                        answered_by: dict[str, Any] | None = None) -> None:
        """The answer for one directive: entered by the unit in its portal, by the group on the unit's behalf,
        or taken from the unit's progress report (`answered_by` says which)."""
        self.check_response(directive_id, status, summary)
        self._record_response(directive_id=directive_id, status=status, summary=summary.strip(),
                              responded_on=responded_on, answered_by=answered_by)

    @event("ResponseRecorded")
    def _record_response(self, directive_id: str, status: str, summary: str, responded_on: date,
                         answered_by: dict[str, Any] | None = None) -> None:
        # `answered_by`: absent (None) in events recorded before the unit could answer (issue #15); only the
        # group entered answers then.
        self.responses[directive_id] = {"status": status, "summary": summary, "responded_on": responded_on,
                                        "answered_by": answered_by or dict(LEGACY_ANSWERER)}
        self._note_report((answered_by or {}).get("report_id"))

    def _note_report(self, report_id: str | None) -> None:
        if report_id and report_id not in self.reports_applied:
            self.reports_applied = (*self.reports_applied, report_id)

    def apply_report(self, report_id: str, answers: list[dict[str, Any]], summary: str, reported_on: date,
                     answered_by: dict[str, Any]) -> bool:
        """The unit's progress report that names this round: a response for each directive it answers, once.

        A report applied before records nothing (False). A report for a closed round, or naming directives
        not in the round, is recorded as unmatched (the group sees it on the round), never as a response."""
        if report_id in self.reports_applied:
            return False
        by = {**answered_by, "via": "progress_report", "report_id": report_id}
        if self.closed:
            self._report_unmatched(report_id=report_id, reason="round_closed",
                                   directive_ids=[str(a["directive_id"]) for a in answers], reported_on=reported_on)
            return True
        foreign = [str(a["directive_id"]) for a in answers if a["directive_id"] not in self.directive_ids]
        matched = [a for a in answers if a["directive_id"] in self.directive_ids]
        for answer in matched:
            text = str(answer.get("summary") or "").strip() or summary.strip()
            self.record_response(directive_id=str(answer["directive_id"]), status=str(answer["status"]),
                                 summary=text, responded_on=reported_on, answered_by=by)
        if foreign or not matched:
            self._report_unmatched(report_id=report_id, reason="not_in_round" if foreign else "no_directives",
                                   directive_ids=foreign, reported_on=reported_on)
        return True

    @event("ReportUnmatched")
    def _report_unmatched(self, report_id: str, reason: str, directive_ids: list[str], reported_on: date) -> None:
        self._note_report(report_id)
        self.unmatched_reports = (*self.unmatched_reports, {
            "report_id": report_id, "reason": reason, "directive_ids": list(directive_ids),
            "reported_on": reported_on})

    @property
    def missing(self) -> list[str]:
        return [d for d in self.directive_ids if d not in self.responses]

    def is_overdue_unmarked(self, today: date) -> bool:
        return not self.closed and self.overdue_on is None and bool(self.missing) and today > self.respond_by

    def mark_overdue(self, detected_on: date) -> None:
        if not self.is_overdue_unmarked(detected_on):
            raise ConflictError("调度未逾期或已记录逾期 (round not overdue)", code="not_overdue")
        self._mark_overdue(due_on=self.respond_by, detected_on=detected_on, missing=self.missing)

    @event("Overdue")
    def _mark_overdue(self, due_on: date, detected_on: date, missing: list[str]) -> None:
        self.overdue_on = detected_on

    def has_running_deadline(self) -> bool:
        return not self.closed and self.overdue_on is None

    def recompute_respond_by(self, rule: dict[str, Any], due_on: date) -> None:
        """The reply date counted again with a newer calendar: a new event, the old one stays."""
        if not self.has_running_deadline():
            raise ConflictError("调度期限已结束 (the round's deadline is no longer running)", code="not_running")
        self._recompute_respond_by(rule=rule, old_due_on=self.respond_by, new_due_on=due_on,
                                   calendar=str(rule.get("calendar", "")))

    @event("DeadlineRecomputed")
    def _recompute_respond_by(self, rule: dict[str, Any], old_due_on: date, new_due_on: date, calendar: str) -> None:
        self.respond_by_rule = rule
        self.respond_by = new_due_on

    def check_close(self) -> None:
        if self.closed:
            raise ConflictError("调度已结束 (round closed)", code="round_closed")

    def close(self, note: str) -> None:
        self.check_close()
        self._close(note=note)

    @event("Closed")
    def _close(self, note: str) -> None:
        self.closed = True


FINDING_KINDS = {
    "missing_in_report": "总账有、专报无 (in the ledger, missing from the unit's report)",
    "missing_in_ledger": "专报有、总账无 (in the unit's report, missing from the ledger)",
    "status_differs": "状态不一致 (status differs)",
}


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})年(?:度|全年)?$"), "year"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"), "month"),
    (re.compile(r"^(\d{4})\s*[-_ ]?\s*[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})年第?([一二三四1-4])季度$"), "quarter"),
    (re.compile(r"^(\d{4})\s*[-_ ]?\s*[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})年(上|下)半年$"), "half"),
)


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def report_period(period: str) -> tuple[date, date] | None:
    """The first and last day of a report's period (报告期): `2026`, `2026-03`, `2026Q1`, `2026-H1`, `2026年3月`,
    `2026年第一季度`, `2026年上半年`; None for a period written otherwise."""
    text = period.strip()
    for pattern, kind in _PERIOD_PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        year = int(found.group(1))
        if kind == "year":
            return date(year, 1, 1), date(year, 12, 31)
        part = found.group(2)
        if kind == "month":
            month = int(part)
            return (date(year, month, 1), _month_end(year, month)) if 1 <= month <= 12 else None
        if kind == "quarter":
            first = 3 * (_CN_DIGITS[part] - 1) + 1
            return date(year, first, 1), _month_end(year, first + 2)
        first = 1 if part in ("1", "上") else 7
        return date(year, first, 1), _month_end(year, first + 5)
    return None


def within_report_scope(
    ledger: dict[str, dict[str, Any]], reported: dict[str, dict[str, Any]], period: str,
    received_on: Callable[[str], date],
) -> dict[str, dict[str, Any]]:
    """The ledger entries a report answers for: those it lists, and those received within its period.

    A report covers its period and the directives it names; a directive received before the period (and not
    named) or after it is outside the report, so it is not `missing_in_report`. A period that cannot be read
    leaves only the named directives in scope."""
    bounds = report_period(period)
    return {
        reference: row for reference, row in ledger.items()
        if reference in reported
        or (bounds is not None and bounds[0] <= received_on(row["directive_id"]) <= bounds[1])
    }


def compare(ledger: dict[str, dict[str, Any]], reported: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings of a reconciliation. Both sides keyed by normalised reference number.

    ledger values: {"directive_id", "title", "status"}; reported values: {"title", "status"}.
    """
    findings: list[dict[str, Any]] = []
    for reference in sorted(set(ledger) | set(reported)):
        ours, theirs = ledger.get(reference), reported.get(reference)
        if theirs is None:
            assert ours is not None
            findings.append({"kind": "missing_in_report", "reference_number": reference,
                             "directive_id": ours["directive_id"], "title": ours["title"],
                             "ledger_status": ours["status"], "reported_status": None})
        elif ours is None:
            findings.append({"kind": "missing_in_ledger", "reference_number": reference, "directive_id": None,
                             "title": theirs["title"], "ledger_status": None, "reported_status": theirs["status"]})
        elif ours["status"] != theirs["status"]:
            findings.append({"kind": "status_differs", "reference_number": reference,
                             "directive_id": ours["directive_id"], "title": ours["title"],
                             "ledger_status": ours["status"], "reported_status": theirs["status"]})
    return findings


class Reconciliation(ChainedAggregate):
    """One reconciliation (对账) of the master ledger with one supervision report of the unit."""

    default_distribution = "hq"

    @staticmethod
    def create_id(report_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:ledgers:reconciliation:{report_id}")

    @event("Recorded")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        report_id: str,
        period: str,
        compared_on: date,
        matched: int,
        findings: list[dict[str, Any]],
    ) -> None:
        self._keep(locals())
        self.findings = [dict(f, resolution=None) for f in findings]

    def check_resolution(self, index: int, note: str) -> None:
        if not 0 <= index < len(self.findings):
            raise InvalidInputError("对账发现不存在 (no such finding)", code="no_such_finding")
        if self.findings[index]["resolution"] is not None:
            raise ConflictError("该发现已处理 (finding already resolved)", code="finding_resolved")
        if not note.strip():
            raise InvalidInputError("须说明处理情况 (a note is required)", code="note_required")

    def resolve_finding(self, index: int, note: str, resolved_on: date) -> None:
        self.check_resolution(index, note)
        self._resolve_finding(index=index, note=note.strip(), resolved_on=resolved_on)

    @event("FindingResolved")
    def _resolve_finding(self, index: int, note: str, resolved_on: date) -> None:
        self.findings[index]["resolution"] = {"note": note, "resolved_on": resolved_on}
