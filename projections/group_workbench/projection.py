"""Group workbench read model: the ledgers of every group as their lists show them — directives with
their stages, deadlines, corrections and withdrawal; the items of the four lists; scheduling rounds;
reconciliations — folded from the ledgers' integration events.

Every row keeps the group, unit and distribution its record was published with, so the authoriser decides
in the query (`authz.filters.read_filter`). Facts published more narrowly than their record (who follows an
item, its root causes, its similar matters: `hq`) sit in columns the view leaves out for a unit's reader.
"""

from __future__ import annotations

import json
from typing import Any

from events.envelope import Envelope
from projections.common.db import Tx
from projections.common.projection import Projection, handles

STAGES = ("relay_study", "deployment", "plan", "execution", "result_evaluation", "look_back_review",
          "institution_building")
"""The stages of carrying out a directive, in order (the ledgers' STAGES; projections import no service)."""
CLOSING_STAGE = "result_evaluation"
"""A directive whose result was evaluated is completed (the unit report's vocabulary)."""

DIRECTIVE_COLUMNS = (
    "directive_id", "group_id", "unit_id", "distribution", "reference_number", "issuer", "title", "issued_on",
    "received_on", "lead_department", "category", "tied_to_duties", "status", "withdrawn", "withdrawn_reason",
    "amendments", "notifications", "stages", "stages_done", "last_stage", "last_stage_on", "next_stage",
    "closed_on", "stage_deadlines", "next_due_on", "overdue", "evaluations", "first_agenda", "version",
    "registered_at", "updated_at",
)
ITEM_COLUMNS = (
    "item_id", "group_id", "unit_id", "distribution", "directive_id", "list_kind", "title", "owner", "follower",
    "deadline_rule", "due_on", "overdue", "overdue_on", "problem_type", "source", "source_ref", "status",
    "progress_reports", "evidence_added", "closed_on", "look_back_due_on", "look_back_due", "look_backs",
    "reopen_count", "root_causes", "ecology", "similar_item_ids", "opened_at", "updated_at",
)
ROUND_COLUMNS = (
    "round_id", "group_id", "unit_id", "distribution", "subject", "directive_ids", "respond_by", "responses",
    "missing", "overdue_on", "closed", "opened_at", "updated_at",
)
IMPORT_COLUMNS = (
    "import_id", "group_id", "unit_id", "distribution", "sha256", "filename", "imported", "skipped_rows",
    "imported_on", "recorded_at",
)
ACCOUNTABILITY_COLUMNS = (
    "accountability_id", "group_id", "unit_id", "distribution", "directive_id", "directive_title", "item_ids",
    "person_id", "proposed_form", "proposed_on", "status", "decided_form", "decided_by_body", "decided_on",
)
REVIEW_COLUMNS = (
    "review_id", "group_id", "unit_id", "distribution", "quarter", "meeting_on", "chaired_by", "attendees",
    "topics", "decisions", "follow_ups", "look_back", "open_follow_ups", "version", "held_at", "updated_at",
)
RECONCILIATION_COLUMNS = (
    "reconciliation_id", "group_id", "unit_id", "distribution", "report_id", "period", "compared_on", "matched",
    "findings", "open_findings", "recorded_at", "updated_at",
)
JSON_COLUMNS = frozenset({"notifications", "stages", "stage_deadlines", "evaluations", "first_agenda",
                          "deadline_rule",
                          "root_causes", "similar_item_ids", "directive_ids", "responses", "findings",
                          "imported", "skipped_rows", "attendees", "topics", "decisions", "follow_ups",
                          "look_back"})
BOOL_COLUMNS = frozenset({"tied_to_duties", "withdrawn", "overdue", "look_back_due", "closed"})


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _status(stages: dict[str, Any]) -> str:
    if CLOSING_STAGE in stages:
        return "completed"
    return "in_progress" if stages else "not_started"


def _next_stage(stages: dict[str, Any]) -> str | None:
    return next((stage for stage in STAGES if stage not in stages), None)


def _deadline_facts(stages: dict[str, Any], deadlines: dict[str, Any]) -> tuple[str | None, bool]:
    """The earliest due date of a stage not yet done, and whether such a stage was found overdue."""
    pending = {stage: d for stage, d in deadlines.items() if stage not in stages}
    due = min((d["due_on"] for d in pending.values()), default=None)
    return due, any(d.get("overdue_on") for d in pending.values())


class GroupWorkbench(Projection):
    name = "group_workbench"
    schema_version = 5
    tables = ("gw_directives", "gw_items", "gw_rounds", "gw_reconciliations", "gw_imports", "gw_reviews",
              "gw_accountabilities", "gw_accountability_items")
    checksum_order = {"gw_directives": "directive_id", "gw_items": "item_id", "gw_rounds": "round_id",
                      "gw_reconciliations": "reconciliation_id", "gw_imports": "import_id",
                      "gw_reviews": "review_id", "gw_accountabilities": "accountability_id",
                      "gw_accountability_items": "accountability_id, item_id"}
    ddl = (
        "CREATE TABLE IF NOT EXISTS gw_directives ("
        " directive_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " reference_number TEXT NOT NULL, issuer TEXT NOT NULL, title TEXT NOT NULL, issued_on TEXT NOT NULL,"
        " received_on TEXT NOT NULL, lead_department TEXT NOT NULL, category TEXT,"
        " tied_to_duties INTEGER NOT NULL, status TEXT NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0,"
        " withdrawn_reason TEXT, amendments INTEGER NOT NULL DEFAULT 0, notifications TEXT NOT NULL,"
        " stages TEXT NOT NULL, stages_done INTEGER NOT NULL DEFAULT 0, last_stage TEXT, last_stage_on TEXT,"
        " next_stage TEXT, closed_on TEXT, stage_deadlines TEXT NOT NULL, next_due_on TEXT,"
        " overdue INTEGER NOT NULL DEFAULT 0, evaluations TEXT NOT NULL, first_agenda TEXT,"
        " version INTEGER NOT NULL,"
        " registered_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS gw_directives_group ON gw_directives (group_id, received_on, directive_id)",
        "CREATE INDEX IF NOT EXISTS gw_directives_unit ON gw_directives (unit_id, received_on, directive_id)",
        "CREATE INDEX IF NOT EXISTS gw_directives_received ON gw_directives (received_on, directive_id)",
        "CREATE TABLE IF NOT EXISTS gw_items ("
        " item_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " directive_id TEXT, list_kind TEXT NOT NULL, title TEXT NOT NULL, owner TEXT NOT NULL, follower TEXT,"
        " deadline_rule TEXT NOT NULL, due_on TEXT, overdue INTEGER NOT NULL DEFAULT 0, overdue_on TEXT,"
        " problem_type TEXT, source TEXT NOT NULL, source_ref TEXT, status TEXT NOT NULL,"
        " progress_reports INTEGER NOT NULL DEFAULT 0, evidence_added INTEGER NOT NULL DEFAULT 0, closed_on TEXT,"
        " look_back_due_on TEXT, look_back_due INTEGER NOT NULL DEFAULT 0, look_backs INTEGER NOT NULL DEFAULT 0,"
        " reopen_count INTEGER NOT NULL DEFAULT 0, root_causes TEXT NOT NULL, ecology TEXT,"
        " similar_item_ids TEXT NOT NULL, opened_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS gw_items_group ON gw_items (group_id, due_on, item_id)",
        "CREATE INDEX IF NOT EXISTS gw_items_unit ON gw_items (unit_id, due_on, item_id)",
        "CREATE INDEX IF NOT EXISTS gw_items_follower ON gw_items (follower, due_on, item_id)",
        "CREATE TABLE IF NOT EXISTS gw_rounds ("
        " round_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " subject TEXT NOT NULL, directive_ids TEXT NOT NULL, respond_by TEXT NOT NULL, responses TEXT NOT NULL,"
        " missing INTEGER NOT NULL, overdue_on TEXT, closed INTEGER NOT NULL DEFAULT 0, opened_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS gw_reconciliations ("
        " reconciliation_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " report_id TEXT NOT NULL, period TEXT NOT NULL, compared_on TEXT NOT NULL, matched INTEGER NOT NULL,"
        " findings TEXT NOT NULL, open_findings INTEGER NOT NULL, recorded_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS gw_imports ("
        " import_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, filename TEXT NOT NULL, imported TEXT NOT NULL, skipped_rows TEXT NOT NULL,"
        " imported_on TEXT NOT NULL, recorded_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS gw_imports_group ON gw_imports (group_id, recorded_at, import_id)",
        "CREATE TABLE IF NOT EXISTS gw_reviews ("
        " review_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " quarter TEXT NOT NULL, meeting_on TEXT NOT NULL, chaired_by TEXT NOT NULL, attendees TEXT NOT NULL,"
        " topics TEXT NOT NULL, decisions TEXT NOT NULL, follow_ups TEXT NOT NULL, look_back TEXT,"
        " open_follow_ups INTEGER NOT NULL, version INTEGER NOT NULL, held_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS gw_reviews_group ON gw_reviews (group_id, quarter, review_id)",
        "CREATE TABLE IF NOT EXISTS gw_accountabilities ("
        " accountability_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " directive_id TEXT NOT NULL, directive_title TEXT, item_ids TEXT NOT NULL, person_id TEXT NOT NULL,"
        " proposed_form TEXT NOT NULL, proposed_on TEXT NOT NULL, status TEXT NOT NULL, decided_form TEXT,"
        " decided_by_body TEXT, decided_on TEXT)",
        "CREATE INDEX IF NOT EXISTS gw_accountabilities_directive ON gw_accountabilities (directive_id, proposed_on)",
        "CREATE TABLE IF NOT EXISTS gw_accountability_items ("
        " accountability_id TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (accountability_id, item_id))",
        "CREATE INDEX IF NOT EXISTS gw_accountability_items_item ON gw_accountability_items (item_id)",
    )

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _load(tx: Tx, table: str, key: str, key_value: str, columns: tuple[str, ...]) -> dict[str, Any] | None:
        row = tx.fetchone(f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = %s", (key_value,))
        if row is None:
            return None
        return {c: (json.loads(v) if c in JSON_COLUMNS and v is not None else v)
                for c, v in zip(columns, row, strict=True)}

    @staticmethod
    def _save(tx: Tx, table: str, key: str, key_value: str, values: dict[str, Any]) -> None:
        assignments = ", ".join(f"{c} = %s" for c in values)
        params = [(_json(v) if c in JSON_COLUMNS else (int(v) if c in BOOL_COLUMNS else v))
                  for c, v in values.items()]
        tx.execute(f"UPDATE {table} SET {assignments} WHERE {key} = %s", (*params, key_value))

    def _directive(self, tx: Tx, directive_id: str) -> dict[str, Any] | None:
        return self._load(tx, "gw_directives", "directive_id", directive_id,
                          ("stages", "stage_deadlines", "notifications", "evaluations", "amendments"))

    def _touch_directive(self, tx: Tx, envelope: Envelope, directive_id: str, values: dict[str, Any]) -> None:
        values.update(version=envelope.stream_version, updated_at=envelope.occurred_at.isoformat())
        self._save(tx, "gw_directives", "directive_id", directive_id, values)

    # -- directives ----------------------------------------------------------------------------
    @handles("ledgers.DirectiveRegistered")
    def directive_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        at = envelope.occurred_at.isoformat()
        tx.execute(
            f"INSERT INTO gw_directives ({', '.join(DIRECTIVE_COLUMNS)}) VALUES"
            f" ({', '.join(['%s'] * len(DIRECTIVE_COLUMNS))}) ON CONFLICT (directive_id) DO NOTHING",
            (payload.directive_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
             payload.reference_number, payload.issuer, payload.title, payload.issued_on.isoformat(),
             payload.received_on.isoformat(), payload.lead_department, payload.category, int(payload.tied_to_duties),
             "not_started", 0, None, 0, "[]", "{}", 0, None, None, STAGES[0], None, "{}", None, 0, "{}", None,
             envelope.stream_version, at, at),
        )
        self._title_accountabilities(tx, payload.directive_id, payload.title)

    @handles("ledgers.DirectiveStageRecorded")
    def stage_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._directive(tx, payload.directive_id)
        if found is None:
            return
        stages = found["stages"]
        done_on = payload.done_on.isoformat()
        stages[payload.stage] = {"done_on": done_on, "skipped_with_reason": payload.skipped_with_reason}
        next_due_on, overdue = _deadline_facts(stages, found["stage_deadlines"])
        self._touch_directive(tx, envelope, payload.directive_id, {
            "stages": stages, "stages_done": len(stages), "last_stage": payload.stage, "last_stage_on": done_on,
            "next_stage": _next_stage(stages), "status": _status(stages),
            "closed_on": stages.get(CLOSING_STAGE, {}).get("done_on"), "next_due_on": next_due_on,
            "overdue": overdue,
        })

    @handles("ledgers.FirstAgendaItemRecorded")
    def first_agenda(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """第一议题 on the directive's row: as first item or not, working days after receipt, the outcome."""
        if self._directive(tx, payload.directive_id) is None:
            return
        self._touch_directive(tx, envelope, payload.directive_id, {"first_agenda": {
            "first_agenda_item": payload.first_agenda_item, "studied_on": payload.studied_on.isoformat(),
            "working_days_after_receipt": payload.working_days_after_receipt,
            "threshold_working_days": payload.threshold_working_days, "due_on": payload.due_on.isoformat(),
            "outcome": payload.outcome, "calendar": payload.calendar, "provisional": payload.provisional,
        }})

    @handles("ledgers.DirectiveAmended")
    def directive_amended(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._directive(tx, payload.directive_id)
        if found is None:
            return
        changes = {field: value for field, value in payload.changes.items() if field in DIRECTIVE_COLUMNS}
        if "tied_to_duties" in changes:
            changes["tied_to_duties"] = bool(changes["tied_to_duties"])
        self._touch_directive(tx, envelope, payload.directive_id,
                              {**changes, "amendments": int(found["amendments"]) + 1})
        if "title" in changes:
            self._title_accountabilities(tx, payload.directive_id, changes["title"])

    @handles("ledgers.DirectiveWithdrawn")
    def directive_withdrawn(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._directive(tx, payload.directive_id) is not None:
            self._touch_directive(tx, envelope, payload.directive_id,
                                  {"withdrawn": True, "withdrawn_reason": payload.reason})

    @handles("ledgers.DirectiveNotificationLinked")
    def notification_linked(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._directive(tx, payload.directive_id)
        if found is None:
            return
        notifications = found["notifications"]
        if payload.notification_id not in notifications:
            notifications.append(payload.notification_id)
        self._touch_directive(tx, envelope, payload.directive_id, {"notifications": notifications})

    @handles("ledgers.StageDeadlineSet")
    def stage_deadline_set(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._directive(tx, payload.directive_id)
        if found is None:
            return
        deadlines = found["stage_deadlines"]
        deadlines[payload.stage] = {"rule": payload.rule.model_dump(mode="json"),
                                    "due_on": payload.due_on.isoformat(), "overdue_on": None}
        next_due_on, overdue = _deadline_facts(found["stages"], deadlines)
        self._touch_directive(tx, envelope, payload.directive_id,
                              {"stage_deadlines": deadlines, "next_due_on": next_due_on, "overdue": overdue})

    @handles("ledgers.StageOverdue")
    def stage_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._directive(tx, payload.directive_id)
        if found is None or payload.stage not in found["stage_deadlines"]:
            return
        deadlines = found["stage_deadlines"]
        deadlines[payload.stage]["overdue_on"] = payload.detected_on.isoformat()
        next_due_on, overdue = _deadline_facts(found["stages"], deadlines)
        self._touch_directive(tx, envelope, payload.directive_id,
                              {"stage_deadlines": deadlines, "next_due_on": next_due_on, "overdue": overdue})

    @handles("ledgers.DepartmentEvaluated")
    def department_evaluated(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._directive(tx, payload.directive_id)
        if found is None:
            return
        evaluations = found["evaluations"]
        evaluations[payload.department] = {
            "scores": {d: getattr(payload, d) for d in ("understanding", "goal_setting", "responsibility", "drive")},
            "rationale": payload.rationale, "evaluated_on": payload.evaluated_on.isoformat(),
        }
        self._touch_directive(tx, envelope, payload.directive_id, {"evaluations": evaluations})

    # -- items of the four lists ---------------------------------------------------------------
    def _touch_item(self, tx: Tx, envelope: Envelope, item_id: str, values: dict[str, Any]) -> None:
        values["updated_at"] = envelope.occurred_at.isoformat()
        self._save(tx, "gw_items", "item_id", item_id, values)

    def _item(self, tx: Tx, item_id: str, *columns: str) -> dict[str, Any] | None:
        return self._load(tx, "gw_items", "item_id", item_id, columns or ("item_id",))

    @handles("ledgers.ItemOpened")
    def item_opened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        at = envelope.occurred_at.isoformat()
        rule = payload.deadline_rule.model_dump(mode="json") if payload.deadline_rule else None
        tx.execute(
            f"INSERT INTO gw_items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ITEM_COLUMNS))})"
            " ON CONFLICT (item_id) DO NOTHING",
            (payload.item_id, envelope.group_id or "", envelope.unit_id, envelope.distribution, payload.directive_id,
             payload.list_kind, payload.title, payload.owner, None, _json(rule),
             payload.due_on.isoformat() if payload.due_on else None, 0, None, payload.problem_type, payload.source,
             payload.source_ref, "open", 0, 0, None, None, 0, 0, 0, "[]", None, "[]", at, at),
        )

    @handles("ledgers.ItemProgressUpdated")
    def item_progress(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._item(tx, payload.item_id, "progress_reports")
        if found is not None:
            self._touch_item(tx, envelope, payload.item_id,
                             {"status": payload.status, "progress_reports": int(found["progress_reports"]) + 1})

    @handles("ledgers.ItemDeadlineSet")
    def item_deadline(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._item(tx, payload.item_id) is not None:
            self._touch_item(tx, envelope, payload.item_id, {
                "deadline_rule": payload.rule.model_dump(mode="json"), "due_on": payload.due_on.isoformat(),
                "overdue": False, "overdue_on": None})

    @handles("ledgers.ItemOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._item(tx, payload.item_id) is not None:
            self._touch_item(tx, envelope, payload.item_id,
                             {"overdue": True, "overdue_on": payload.detected_on.isoformat()})

    @handles("ledgers.ItemClosed")
    def item_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._item(tx, payload.item_id) is not None:
            self._touch_item(tx, envelope, payload.item_id, {
                "status": "closed", "closed_on": payload.closed_on.isoformat(),
                "look_back_due_on": payload.look_back_due_on.isoformat(), "look_back_due": False})

    @handles("ledgers.ItemLookBackDue")
    def item_look_back_due(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._item(tx, payload.item_id) is not None:
            self._touch_item(tx, envelope, payload.item_id, {"look_back_due": True})

    @handles("ledgers.ItemLookBackConfirmed")
    def item_look_back_confirmed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._item(tx, payload.item_id, "look_backs")
        if found is not None:
            self._touch_item(tx, envelope, payload.item_id,
                             {"look_backs": int(found["look_backs"]) + 1, "look_back_due": False})

    @handles("ledgers.ItemReopened")
    def item_reopened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._item(tx, payload.item_id, "reopen_count", "look_backs")
        if found is not None:
            self._touch_item(tx, envelope, payload.item_id, {
                "status": "open", "closed_on": None, "look_back_due_on": None, "look_back_due": False,
                "due_on": payload.due_on.isoformat() if payload.due_on else None, "overdue": False,
                "overdue_on": None, "reopen_count": int(found["reopen_count"]) + 1,
                "look_backs": int(found["look_backs"]) + 1})

    @handles("ledgers.ItemEvidenceAttached")
    def item_evidence(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._item(tx, payload.item_id, "evidence_added")
        if found is not None:
            self._touch_item(tx, envelope, payload.item_id,
                             {"evidence_added": int(found["evidence_added"]) + payload.added})

    @handles("ledgers.ItemFollowerAssigned")
    def item_follower(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._item(tx, payload.item_id) is not None:
            self._touch_item(tx, envelope, payload.item_id, {"follower": payload.follower})

    @handles("ledgers.ProblemJudged")
    def problem_judged(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._item(tx, payload.item_id) is not None:
            self._touch_item(tx, envelope, payload.item_id,
                             {"root_causes": list(payload.root_causes), "ecology": payload.ecology})

    @handles("ledgers.SimilarMattersLinked")
    def similar_linked(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._item(tx, payload.item_id, "similar_item_ids")
        if found is not None:
            linked = found["similar_item_ids"] + [i for i in payload.similar_item_ids
                                                  if i not in found["similar_item_ids"]]
            self._touch_item(tx, envelope, payload.item_id, {"similar_item_ids": linked})

    # -- deadlines counted again once their year's calendar arrangement was recorded ------------
    @handles("ledgers.DeadlineRecomputed")
    def deadline_recomputed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        new_due_on = payload.new_due_on.isoformat()
        if payload.record_kind == "stage":
            found = self._directive(tx, payload.record_id)
            if found is None or payload.stage not in found["stage_deadlines"]:
                return
            deadlines = found["stage_deadlines"]
            deadlines[payload.stage].update(rule=payload.rule.model_dump(mode="json"), due_on=new_due_on)
            next_due_on, overdue = _deadline_facts(found["stages"], deadlines)
            self._touch_directive(tx, envelope, payload.record_id,
                                  {"stage_deadlines": deadlines, "next_due_on": next_due_on, "overdue": overdue})
        elif payload.record_kind in ("item", "look_back") and self._item(tx, payload.record_id) is not None:
            values: dict[str, Any] = (
                {"deadline_rule": payload.rule.model_dump(mode="json"), "due_on": new_due_on}
                if payload.record_kind == "item" else {"look_back_due_on": new_due_on})
            self._touch_item(tx, envelope, payload.record_id, values)
        elif payload.record_kind == "round" and self._round(tx, payload.record_id) is not None:
            self._save(tx, "gw_rounds", "round_id", payload.record_id,
                       {"respond_by": new_due_on, "updated_at": envelope.occurred_at.isoformat()})

    # -- scheduling rounds ---------------------------------------------------------------------
    @handles("ledgers.SchedulingRoundOpened")
    def round_opened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        at = envelope.occurred_at.isoformat()
        tx.execute(
            f"INSERT INTO gw_rounds ({', '.join(ROUND_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ROUND_COLUMNS))})"
            " ON CONFLICT (round_id) DO NOTHING",
            (payload.round_id, envelope.group_id or "", envelope.unit_id, envelope.distribution, payload.subject,
             _json(list(payload.directive_ids)), payload.respond_by.isoformat(), "{}", len(payload.directive_ids),
             None, 0, at, at),
        )

    def _round(self, tx: Tx, round_id: str) -> dict[str, Any] | None:
        return self._load(tx, "gw_rounds", "round_id", round_id, ("directive_ids", "responses"))

    @handles("ledgers.SchedulingRoundResponded")
    def round_responded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._round(tx, payload.round_id)
        if found is None:
            return
        responses = found["responses"]
        responses[payload.directive_id] = {"status": payload.status, "responded_on": payload.responded_on.isoformat(),
                                           "answered_by": payload.answered_by, "via": payload.via}
        missing = len([d for d in found["directive_ids"] if d not in responses])
        self._save(tx, "gw_rounds", "round_id", payload.round_id,
                   {"responses": responses, "missing": missing, "updated_at": envelope.occurred_at.isoformat()})

    @handles("ledgers.SchedulingRoundOverdue")
    def round_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._round(tx, payload.round_id) is not None:
            self._save(tx, "gw_rounds", "round_id", payload.round_id, {
                "overdue_on": payload.detected_on.isoformat(), "updated_at": envelope.occurred_at.isoformat()})

    @handles("ledgers.SchedulingRoundClosed")
    def round_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._round(tx, payload.round_id) is not None:
            self._save(tx, "gw_rounds", "round_id", payload.round_id,
                       {"closed": True, "updated_at": envelope.occurred_at.isoformat()})

    # -- reconciliations -----------------------------------------------------------------------
    @handles("ledgers.ReconciliationRecorded")
    def reconciliation_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        at = envelope.occurred_at.isoformat()
        findings = [dict(f.model_dump(mode="json"), resolution=None) for f in payload.findings]
        tx.execute(
            f"INSERT INTO gw_reconciliations ({', '.join(RECONCILIATION_COLUMNS)}) VALUES"
            f" ({', '.join(['%s'] * len(RECONCILIATION_COLUMNS))}) ON CONFLICT (reconciliation_id) DO NOTHING",
            (payload.reconciliation_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
             payload.report_id, payload.period, payload.compared_on.isoformat(), payload.matched, _json(findings),
             len(findings), at, at),
        )

    @handles("ledgers.ReconciliationFindingResolved")
    def finding_resolved(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._load(tx, "gw_reconciliations", "reconciliation_id", payload.reconciliation_id, ("findings",))
        if found is None or not 0 <= payload.index < len(found["findings"]):
            return
        findings = found["findings"]
        findings[payload.index]["resolution"] = {"resolved_on": payload.resolved_on.isoformat()}
        self._save(tx, "gw_reconciliations", "reconciliation_id", payload.reconciliation_id, {
            "findings": findings, "open_findings": sum(1 for f in findings if f["resolution"] is None),
            "updated_at": envelope.occurred_at.isoformat()})

    # -- spreadsheet imports and quarterly reviews ---------------------------------------------
    @handles("ledgers.LedgerImported")
    def ledger_imported(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            f"INSERT INTO gw_imports ({', '.join(IMPORT_COLUMNS)}) VALUES"
            f" ({', '.join(['%s'] * len(IMPORT_COLUMNS))}) ON CONFLICT (import_id) DO NOTHING",
            (payload.import_id, envelope.group_id or "", envelope.unit_id, envelope.distribution, payload.sha256,
             payload.filename, _json([r.model_dump(mode="json") for r in payload.imported]),
             _json(list(payload.skipped_rows)), payload.imported_on.isoformat(), envelope.occurred_at.isoformat()),
        )

    @handles("ledgers.QuarterlyReviewHeld")
    def review_held(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        at = envelope.occurred_at.isoformat()
        follow_ups = [dict(f.model_dump(mode="json"), completed_on=None, note=None) for f in payload.follow_ups]
        tx.execute(
            f"INSERT INTO gw_reviews ({', '.join(REVIEW_COLUMNS)}) VALUES"
            f" ({', '.join(['%s'] * len(REVIEW_COLUMNS))}) ON CONFLICT (review_id) DO NOTHING",
            (payload.review_id, envelope.group_id or "", envelope.unit_id, envelope.distribution, payload.quarter,
             payload.meeting_on.isoformat(), payload.chaired_by, _json(list(payload.attendees)),
             _json(list(payload.topics)), _json(list(payload.decisions)), _json(follow_ups), None,
             len(follow_ups), envelope.stream_version, at, at),
        )

    def _touch_review(self, tx: Tx, envelope: Envelope, review_id: str, values: dict[str, Any]) -> None:
        values.update(version=envelope.stream_version, updated_at=envelope.occurred_at.isoformat())
        self._save(tx, "gw_reviews", "review_id", review_id, values)

    @handles("ledgers.SelfLookBackRecorded")
    def self_look_back(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if self._load(tx, "gw_reviews", "review_id", payload.review_id, ("review_id",)) is not None:
            look_back = payload.model_dump(mode="json", exclude={"review_id"})
            self._touch_review(tx, envelope, payload.review_id, {"look_back": look_back})

    @handles("ledgers.ReviewFollowUpCompleted")
    def follow_up_completed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = self._load(tx, "gw_reviews", "review_id", payload.review_id, ("follow_ups",))
        if found is None or not 0 <= payload.index < len(found["follow_ups"]):
            return
        follow_ups = found["follow_ups"]
        follow_ups[payload.index].update(completed_on=payload.completed_on.isoformat(), note=payload.note)
        self._touch_review(tx, envelope, payload.review_id, {
            "follow_ups": follow_ups, "open_follow_ups": sum(1 for f in follow_ups if f["completed_on"] is None)})

    # -- accountability (执责必严、失责必问) --------------------------------------------------------------
    @handles("ledgers.AccountabilityProposed")
    def accountability_proposed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """On the directive and each item concerned: who is held accountable, in which form, and its status."""
        directive = tx.fetchone("SELECT title FROM gw_directives WHERE directive_id = %s", (payload.directive_id,))
        tx.execute(
            "INSERT INTO gw_accountabilities (accountability_id, group_id, unit_id, distribution, directive_id,"
            " directive_title, item_ids, person_id, proposed_form, proposed_on, status) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'proposed') ON CONFLICT (accountability_id) DO NOTHING",
            (payload.accountability_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
             payload.directive_id, None if directive is None else str(directive[0]), _json(list(payload.item_ids)),
             payload.person_id, payload.form, payload.proposed_on.isoformat()),
        )
        for item_id in payload.item_ids:
            tx.execute("INSERT INTO gw_accountability_items (accountability_id, item_id) VALUES (%s, %s)"
                       " ON CONFLICT (accountability_id, item_id) DO NOTHING", (payload.accountability_id, item_id))

    @staticmethod
    def _title_accountabilities(tx: Tx, directive_id: str, title: str) -> None:
        """The directive's current title on its accountability rows: the directive and the accountability are
        different streams, which a partitioned topic delivers in any order (whichever comes first, the row ends
        with the directive's title)."""
        tx.execute("UPDATE gw_accountabilities SET directive_title = %s WHERE directive_id = %s", (title, directive_id))

    @handles("ledgers.AccountabilityDecided")
    def accountability_decided(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE gw_accountabilities SET status = %s, decided_form = %s, decided_by_body = %s,"
                   " decided_on = %s WHERE accountability_id = %s",
                   (payload.outcome, payload.form, payload.decided_by_body, payload.decided_on.isoformat(),
                    payload.accountability_id))
