"""Items of the four lists (四单合一): tasks, responsibilities, problems, implementation records.

An item is addressed to the unit (its events are distributed to the unit) except the group's own
judgements about it (root cause, similar matters), which stay with the group and HQ. Closure (销号)
needs evidence and schedules a look-back (回头看) that can reopen the item.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.evidence import closure_evidence, evidence_kind
from services.ledgers.vocab import (
    DEVIATIONS,
    ECOLOGY_JUDGEMENTS,
    GAPS,
    LIST_KINDS,
    LOOK_BACK_CHECKS,
    LOOK_BACK_FINDINGS,
    OBSTACLES,
    PROBLEM_TYPES,
    ROOT_CAUSES,
)

STATUSES = ("open", "in_progress", "done", "closed")
"""done = the unit reports it finished; closed = 销号 approved by the group with evidence."""
SOURCES = ("group", "notification", "inspection", "clue", "import")


ClosureNeedsEvidenceError = InvalidInputError.kind("ClosureNeedsEvidenceError", "closure_needs_evidence")
FollowerRequiredError = InvalidInputError.kind("FollowerRequiredError", "follower_required")
ItemClosedError = ConflictError.kind("ItemClosedError", "item_closed")
ItemNotClosedError = ConflictError.kind("ItemNotClosedError", "item_not_closed")


def item_id_for(source_key: str) -> UUID:
    """Deterministic id of an item created from another service's record (idempotent policies)."""
    return uuid5(NAMESPACE_URL, f"paizhu:ledgers:item:{source_key}")


class LedgerItem(ChainedAggregate):
    """One item of a directive's four lists, or a rectification item handed over by another service."""

    default_distribution = "unit"
    event_distribution: ClassVar[dict[str, str]] = {"RootCauseJudged": "hq", "SimilarLinked": "hq",
                                                    "ProblemQualified": "hq"}

    @staticmethod
    def create_id(source_key: str | None) -> UUID:
        return item_id_for(source_key) if source_key else uuid4()

    @event("Opened")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        directive_id: str | None,
        list_kind: str,
        title: str,
        description: str,
        owner: str,
        follower: str | None,
        deadline_rule: dict[str, Any] | None,
        due_on: date | None,
        problem_type: str | None,
        source: str,
        source_ref: str | None,
        source_key: str | None,
        evidence_refs: list[str],
        owner_person_id: str | None = None,
    ) -> None:
        # owner_person_id came later: an Opened event stored before it has no such field and opens with None
        # (a default, not an eventsourcing upcast, since the stored hash covers exactly the stored fields)
        self.group_id = group_id
        self.unit_id = unit_id
        self.directive_id = directive_id
        self.list_kind = list_kind
        self.title = title
        self.description = description
        self.owner = owner
        self.owner_person_id = owner_person_id
        self.follower = follower
        self.deadline_rule = deadline_rule
        self.due_on = due_on
        self.overdue_on: date | None = None
        self.problem_type = problem_type
        self.source = source
        self.source_ref = source_ref
        self.status = "open"
        self.evidence_refs: list[str] = list(evidence_refs)
        self.progress: list[dict[str, Any]] = []
        self.root_causes: list[str] = []
        self.ecology: str | None = None
        self.similar_item_ids: list[str] = []
        self.closure: dict[str, Any] | None = None
        self.look_back_rule: dict[str, Any] | None = None
        self.look_back_due_on: date | None = None
        self.look_back_due_marked = False
        self.look_backs: list[dict[str, Any]] = []
        self.reopen_count = 0
        self.history: list[dict[str, Any]] = []
        self.deviations: list[str] = []
        self.gaps: list[str] = []
        self.obstacles: list[str] = []

    @classmethod
    def open(
        cls,
        *,
        group_id: str,
        unit_id: str,
        directive_id: str | None,
        list_kind: str,
        title: str,
        owner: str,
        follower: str | None = None,
        deadline_rule: dict[str, Any] | None = None,
        due_on: date | None = None,
        description: str = "",
        problem_type: str | None = None,
        source: str = "group",
        source_ref: str | None = None,
        source_key: str | None = None,
        evidence_refs: list[str] | tuple[str, ...] = (),
        follower_required: bool = True,
        owner_person_id: str | None = None,
    ) -> LedgerItem:
        """A new item on one of the four lists, after checking it.

        `follower_required=False` only for an item a policy opens for a group that named no default follower.
        `owner_person_id`: the roster's person who owns it, where one is known (`owner` stays the name shown);
        that the person is on the unit's roster is checked where the roster is known (the gateway's read models).
        """
        cls.check_opening(list_kind, title, owner, problem_type)
        if follower_required:
            cls.check_follower(follower)
        return cls(
            group_id=group_id, unit_id=unit_id, directive_id=directive_id, list_kind=list_kind, title=title.strip(),
            description=description.strip(), owner=owner.strip(), follower=follower, deadline_rule=deadline_rule,
            due_on=due_on, problem_type=problem_type, source=source, source_ref=source_ref, source_key=source_key,
            evidence_refs=[ref.strip() for ref in evidence_refs if ref.strip()],
            owner_person_id=owner_person_id,
        )

    @staticmethod
    def check_opening(list_kind: str, title: str, owner: str, problem_type: str | None) -> None:
        if list_kind not in LIST_KINDS:
            raise InvalidInputError(f"未知清单 (unknown list): {list_kind}", code="unknown_list")
        if not title.strip():
            raise InvalidInputError("事项标题不能为空 (title is required)", code="title_required")
        if not owner.strip():
            raise InvalidInputError("须指明责任人或责任部门 (owner is required)", code="owner_required")
        if problem_type is not None and problem_type not in PROBLEM_TYPES:
            raise InvalidInputError(f"未知问题类型 (unknown problem type): {problem_type}", code="unknown_problem_type")
        if list_kind == "problem" and problem_type is None:
            raise InvalidInputError("问题须分类 (a problem needs its type)", code="problem_type_required")
        if list_kind != "problem" and problem_type is not None:
            raise InvalidInputError("仅问题清单可分类 (only problems have a type)", code="problem_type_not_allowed")

    @staticmethod
    def check_follower(follower: str | None) -> None:
        """专人督办: every item is opened with the group member who follows it."""
        if follower is None or not follower.strip():
            raise FollowerRequiredError("须指定督办人 (a follower is required: 专人督办)")

    def check_open(self) -> None:
        if self.status == "closed":
            raise ItemClosedError("该事项已销号 (item closed)")

    # -- progress, evidence, follower, deadline ------------------------------------------
    def check_progress(self, status: str, summary: str) -> None:
        self.check_open()
        if status not in ("open", "in_progress", "done"):
            raise InvalidInputError(f"未知状态 (unknown status): {status}", code="unknown_status")
        if not summary.strip():
            raise InvalidInputError("须说明进展 (a summary is required)", code="summary_required")

    def update_progress(self, status: str, summary: str, reported_by: str, report_ref: str | None) -> None:
        self.check_progress(status, summary)
        self._update_progress(status=status, summary=summary.strip(), reported_by=reported_by, report_ref=report_ref)

    @event("ProgressUpdated")
    def _update_progress(self, status: str, summary: str, reported_by: str, report_ref: str | None) -> None:
        self.status = status
        self.progress.append({"status": status, "summary": summary, "reported_by": reported_by,
                              "report_ref": report_ref})

    def check_evidence(self, evidence_refs: list[str]) -> list[str]:
        new = [ref.strip() for ref in evidence_refs if ref.strip() and ref.strip() not in self.evidence_refs]
        if not new:
            raise InvalidInputError("没有新的证据 (no new evidence)", code="evidence_required")
        return new

    def attach_evidence(self, evidence_refs: list[str], note: str) -> None:
        self.check_open()
        self._attach_evidence(evidence_refs=self.check_evidence(evidence_refs), note=note)

    @event("EvidenceAttached")
    def _attach_evidence(self, evidence_refs: list[str], note: str) -> None:
        self.evidence_refs.extend(evidence_refs)

    def assign_follower(self, follower: str) -> None:
        self.check_open()
        self.check_follower(follower)
        self._assign_follower(follower=follower.strip())

    @event("FollowerAssigned")
    def _assign_follower(self, follower: str) -> None:
        self.follower = follower

    def set_deadline(self, rule: dict[str, Any], due_on: date, reason: str) -> None:
        self.check_open()
        if not reason.strip():
            raise InvalidInputError("调整期限须说明理由 (a reason is required)", code="reason_required")
        self._set_deadline(rule=rule, due_on=due_on, reason=reason.strip())

    @event("DeadlineSet")
    def _set_deadline(self, rule: dict[str, Any], due_on: date, reason: str) -> None:
        self.deadline_rule = rule
        self.due_on = due_on
        self.overdue_on = None

    def has_running_deadline(self) -> bool:
        return self.status != "closed" and self.due_on is not None and self.overdue_on is None

    def recompute_deadline(self, rule: dict[str, Any], due_on: date) -> None:
        """The deadline counted again with a newer calendar: a new event, the old one stays."""
        if not self.has_running_deadline() or self.due_on is None:
            raise ConflictError("期限已结束 (deadline no longer running)", code="not_running")
        self._recompute_deadline(rule=rule, old_due_on=self.due_on, new_due_on=due_on,
                                 calendar=str(rule.get("calendar", "")))

    @event("DeadlineRecomputed")
    def _recompute_deadline(self, rule: dict[str, Any], old_due_on: date, new_due_on: date, calendar: str) -> None:
        self.deadline_rule = rule
        self.due_on = new_due_on

    def is_overdue_unmarked(self, today: date) -> bool:
        return (
            self.status != "closed" and self.due_on is not None and self.overdue_on is None
            and today > self.due_on
        )

    def mark_overdue(self, detected_on: date) -> None:
        if not self.is_overdue_unmarked(detected_on) or self.due_on is None:
            raise ConflictError("事项未逾期或已记录逾期 (item not overdue)", code="not_overdue")
        self._mark_overdue(due_on=self.due_on, detected_on=detected_on)

    @event("Overdue")
    def _mark_overdue(self, due_on: date, detected_on: date) -> None:
        self.overdue_on = detected_on

    # -- the group's judgement (problems only) -------------------------------------------
    def check_judgement(self, root_causes: list[str], ecology: str) -> None:
        if self.list_kind != "problem":
            raise InvalidInputError("仅问题可研判原因 (only problems are judged)", code="not_a_problem")
        unknown = [cause for cause in root_causes if cause not in ROOT_CAUSES]
        if not root_causes or unknown:
            raise InvalidInputError(f"原因研判无效 (invalid root causes): {unknown}", code="root_cause_invalid")
        if ecology not in ECOLOGY_JUDGEMENTS:
            raise InvalidInputError(f"未知研判 (unknown judgement): {ecology}", code="ecology_invalid")

    def judge(self, root_causes: list[str], ecology: str, note: str) -> None:
        self.check_judgement(root_causes, ecology)
        self._judge(root_causes=list(root_causes), ecology=ecology, note=note)

    @event("RootCauseJudged")
    def _judge(self, root_causes: list[str], ecology: str, note: str) -> None:
        self.root_causes = list(root_causes)
        self.ecology = ecology

    def check_qualification(self, deviations: list[str], gaps: list[str], obstacles: list[str]) -> None:
        if self.list_kind != "problem":
            raise InvalidInputError("仅问题可定性 (only problems are qualified)", code="not_a_problem")
        for values, vocabulary, code in ((deviations, DEVIATIONS, "deviation"), (gaps, GAPS, "gap"),
                                         (obstacles, OBSTACLES, "obstacle")):
            unknown = [v for v in values if v not in vocabulary]
            if unknown:
                raise InvalidInputError(f"未知问题属性 (unknown {code}): {unknown}", code=f"unknown_{code}")
        if not (deviations or gaps or obstacles):
            raise InvalidInputError("须至少记录一项问题属性 (at least one attribute)", code="attributes_required")

    def qualify(self, deviations: list[str], gaps: list[str], obstacles: list[str], note: str) -> None:
        """Record how the problem departs from the directive (偏向、变通、打折扣), what the check finds (落差、
        温差、偏差) and where it is stuck (堵点、淤点、难点): attributes alongside its type."""
        self.check_qualification(deviations, gaps, obstacles)
        self._qualify(deviations=sorted(set(deviations)), gaps=sorted(set(gaps)), obstacles=sorted(set(obstacles)),
                      note=note.strip())

    @event("ProblemQualified")
    def _qualify(self, deviations: list[str], gaps: list[str], obstacles: list[str], note: str) -> None:
        self.deviations = list(deviations)
        self.gaps = list(gaps)
        self.obstacles = list(obstacles)

    def check_link(self, similar_item_ids: list[str]) -> list[str]:
        new = [i for i in similar_item_ids if i != str(self.id) and i not in self.similar_item_ids]
        if not new:
            raise InvalidInputError("没有新的类似事项 (no new similar items)", code="similar_required")
        return new

    def link_similar(self, similar_item_ids: list[str], note: str) -> None:
        self._link_similar(similar_item_ids=self.check_link(similar_item_ids), note=note)

    @event("SimilarLinked")
    def _link_similar(self, similar_item_ids: list[str], note: str) -> None:
        self.similar_item_ids.extend(similar_item_ids)

    # -- closure (销号) and look-back (回头看) ----------------------------------------------
    def check_closure(self, evidence_refs: list[str], summary: str) -> None:
        """Closure needs evidence that is an uploaded file (sha256:…) or a unit submission, not free text."""
        self.check_open()
        free_text = [ref for ref in evidence_refs if ref.strip() and evidence_kind(ref.strip()) is None]
        if free_text:
            raise InvalidInputError(
                f"销号证据须为已上传文件(sha256:…)或单位报送(submission:…) "
                f"(closure evidence must be a file or a unit submission): {free_text[:3]}",
                code="evidence_ref_invalid",
            )
        if not closure_evidence([ref.strip() for ref in evidence_refs] + self.evidence_refs):
            raise ClosureNeedsEvidenceError(
                "销号需要证据：已上传文件或单位报送 (closure needs evidence: a file or a unit submission)"
            )
        if not summary.strip():
            raise InvalidInputError("须说明销号依据 (a summary is required)", code="summary_required")

    def close(
        self,
        evidence_refs: list[str],
        summary: str,
        approved_by: str,
        closed_on: date,
        look_back_rule: dict[str, Any],
        look_back_due_on: date,
    ) -> None:
        evidence = [ref.strip() for ref in evidence_refs if ref.strip()]
        self.check_closure(evidence, summary)
        self._close(evidence_refs=evidence, summary=summary.strip(), approved_by=approved_by, closed_on=closed_on,
                    look_back_rule=look_back_rule, look_back_due_on=look_back_due_on)

    @event("Closed")
    def _close(
        self,
        evidence_refs: list[str],
        summary: str,
        approved_by: str,
        closed_on: date,
        look_back_rule: dict[str, Any],
        look_back_due_on: date,
    ) -> None:
        self.evidence_refs.extend(ref for ref in evidence_refs if ref not in self.evidence_refs)
        self.status = "closed"
        self.closure = {"summary": summary, "approved_by": approved_by, "closed_on": closed_on,
                        "evidence_refs": list(evidence_refs)}
        self.history.append({"event": "closed", "on": closed_on, "by": approved_by, "text": summary,
                             "evidence_refs": list(evidence_refs), "checks": None})
        self.look_back_rule = look_back_rule
        self.look_back_due_on = look_back_due_on
        self.look_back_due_marked = False

    def is_look_back_due_unmarked(self, today: date) -> bool:
        return (
            self.status == "closed" and self.look_back_due_on is not None
            and not self.look_back_due_marked and today >= self.look_back_due_on
        )

    def mark_look_back_due(self, detected_on: date) -> None:
        if not self.is_look_back_due_unmarked(detected_on) or self.look_back_due_on is None:
            raise ConflictError("回头看未到期或已记录 (look-back not due)", code="not_due")
        self._mark_look_back_due(due_on=self.look_back_due_on, detected_on=detected_on)

    @event("LookBackDue")
    def _mark_look_back_due(self, due_on: date, detected_on: date) -> None:
        self.look_back_due_marked = True

    def has_running_look_back(self) -> bool:
        return self.status == "closed" and self.look_back_due_on is not None and not self.look_back_due_marked

    def recompute_look_back(self, rule: dict[str, Any], due_on: date) -> None:
        """The look-back date counted again with a newer calendar: a new event, the old one stays."""
        if not self.has_running_look_back() or self.look_back_due_on is None:
            raise ConflictError("回头看期限已结束 (look-back no longer running)", code="not_running")
        self._recompute_look_back(rule=rule, old_due_on=self.look_back_due_on, new_due_on=due_on,
                                  calendar=str(rule.get("calendar", "")))

    @event("LookBackRecomputed")
    def _recompute_look_back(self, rule: dict[str, Any], old_due_on: date, new_due_on: date, calendar: str) -> None:
        self.look_back_rule = rule
        self.look_back_due_on = new_due_on

    @staticmethod
    def check_look_back_checks(checks: dict[str, dict[str, str]]) -> None:
        """The look-back on the unit records 举一反三, rule-building and quality as three findings."""
        missing = [name for name in LOOK_BACK_CHECKS if name not in checks]
        unknown = [name for name in checks if name not in LOOK_BACK_CHECKS]
        if missing or unknown:
            raise InvalidInputError(
                f"回头看须分别检查举一反三、制度机制建设、提质效情况 (each of {list(LOOK_BACK_CHECKS)} is required): "
                f"missing {missing}, unknown {unknown}", code="look_back_checks_required",
            )
        bad = [name for name, found in checks.items() if found.get("finding") not in LOOK_BACK_FINDINGS]
        if bad:
            raise InvalidInputError(f"未知检查结论 (unknown finding): {bad}", code="look_back_finding_invalid")

    def check_look_back(self, findings: str, checks: dict[str, dict[str, str]] | None = None) -> None:
        if self.status != "closed" or self.look_back_due_on is None:
            raise ItemNotClosedError("未销号的事项无需回头看 (only a closed item has a look-back)")
        if not findings.strip():
            raise InvalidInputError("须记录回头看情况 (findings are required)", code="findings_required")
        if checks is not None:
            self.check_look_back_checks(checks)

    @staticmethod
    def _clean_checks(checks: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        return {name: {"finding": checks[name]["finding"], "note": str(checks[name].get("note", "")).strip()}
                for name in LOOK_BACK_CHECKS}

    @staticmethod
    def similar_checked_in(checks: dict[str, dict[str, str]]) -> bool:
        """举一反三 was looked at (adequate or not): the flag the published v1 contract carries."""
        return checks["similar_matters"]["finding"] != "not_applicable"

    def confirm_look_back(self, findings: str, checks: dict[str, dict[str, str]], checked_on: date,
                          checked_by: str) -> None:
        self.check_look_back(findings, checks)
        clean = self._clean_checks(checks)
        self._confirm_look_back(findings=findings.strip(), similar_checked=self.similar_checked_in(clean),
                                checked_on=checked_on, checks=clean, checked_by=checked_by)

    @event("LookBackConfirmed")
    def _confirm_look_back(
        self,
        findings: str,
        similar_checked: bool,
        checked_on: date,
        checks: dict[str, dict[str, str]] | None = None,
        checked_by: str | None = None,
    ) -> None:
        self.look_backs.append({"outcome": "confirmed", "findings": findings, "similar_checked": similar_checked,
                                "checked_on": checked_on, "checks": checks, "checked_by": checked_by})
        self.history.append({"event": "look_back_confirmed", "on": checked_on, "by": checked_by, "text": findings,
                             "evidence_refs": [], "checks": checks})
        self.look_back_due_on = None

    def reopen(
        self,
        reason: str,
        checks: dict[str, dict[str, str]],
        reopened_on: date,
        reopened_by: str,
        deadline_rule: dict[str, Any] | None,
        due_on: date | None,
    ) -> None:
        self.check_look_back(reason, checks)
        clean = self._clean_checks(checks)
        self._reopen(reason=reason.strip(), similar_checked=self.similar_checked_in(clean), reopened_on=reopened_on,
                     deadline_rule=deadline_rule, due_on=due_on, checks=clean, reopened_by=reopened_by)

    @event("Reopened")
    def _reopen(
        self,
        reason: str,
        similar_checked: bool,
        reopened_on: date,
        deadline_rule: dict[str, Any] | None,
        due_on: date | None,
        checks: dict[str, dict[str, str]] | None = None,
        reopened_by: str | None = None,
    ) -> None:
        self.look_backs.append({"outcome": "reopened", "findings": reason, "similar_checked": similar_checked,
                                "checked_on": reopened_on, "checks": checks, "checked_by": reopened_by})
        self.history.append({"event": "reopened", "on": reopened_on, "by": reopened_by, "text": reason,
                             "evidence_refs": [], "checks": checks})
        self.status = "open"
        self.closure = None
        self.look_back_due_on = None
        self.reopen_count += 1
        self.deadline_rule = deadline_rule
        self.due_on = due_on
        self.overdue_on = None
