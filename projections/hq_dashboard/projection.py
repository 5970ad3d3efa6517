"""HQ dashboard read model: every group's directives side by side — stage progress, closure, overdue stages,
corrections and withdrawals applied — the open mismatches of their reconciliations and an alert list of what
went overdue or stalled.

Stalled (停滞): a directive not closed with no stage recorded for STALLED_DIRECTIVE_WORKING_DAYS working days
(since its last stage, or its receipt), or an item still open or in progress without progress for
STALLED_ITEM_DAYS days (since its last progress report or evidence, its opening or reopening). The seeds name
no interval, so these are settings of this read model: each row keeps the day it stalls on (`stalls_on`),
and the alert list shows it from that day on. Changing a setting changes what the fold stores: bump
`schema_version` with it (the model is then rebuilt).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any, NamedTuple

from events.envelope import Envelope
from projections.common.db import Tx, days_after
from projections.common.projection import Projection, handles
from services.common.clock import beijing_date
from services.common.workdays import add_working_days

CLOSING_STAGE = "result_evaluation"
"""A directive whose result was evaluated is closed (completed)."""
AMENDABLE = ("reference_number", "title", "category", "received_on")
"""The registration fields the dashboard shows, which a correction may change."""
STALLED_DIRECTIVE_WORKING_DAYS = 10
"""A directive with no stage recorded for this many working days (two working weeks) is stalled."""
STALLED_ITEM_DAYS = 30
"""An open item without progress for this many days (a month: units report monthly) is stalled."""
ACTIVE_ITEM = ("open", "in_progress")
"""An item in these states waits for its owner's progress (`done` waits for the group's closure)."""

FIRST_AGENDA_ALERTS = {"late": "first_agenda_late", "missed": "first_agenda_missed"}
"""第一议题 outcomes that are alerts, and the alert's kind."""


def directive_stalls_on(last_activity_on: str) -> str:
    return add_working_days(date.fromisoformat(last_activity_on), STALLED_DIRECTIVE_WORKING_DAYS).day.isoformat()


def item_stalls_on(last_progress_on: str) -> str:
    return (date.fromisoformat(last_progress_on) + timedelta(days=STALLED_ITEM_DAYS)).isoformat()


class TitleFrom(NamedTuple):
    """An alert's title as SQL with one parameter; `required`: no alert when it finds none (else untitled)."""

    sql: str
    param: str
    required: bool = False


TITLES = "(SELECT title FROM hq_titles WHERE record_id = %s)"
"""An item's or round's title, kept from its opening."""


def _unlisted(column: str) -> str:
    """SQL: the JSON list of stages in `column` without one stage (parameters: `_unlisted_params`), as text
    with json.dumps's separators, the way the fold writes it. The list names each stage once (a sorted set of
    ASCII identifiers), so the stage is `"s", ` before another, `, "s"` after the first, or `"s"` alone; a
    list without it stays as it is. Plain text functions: the same in SQLite and PostgreSQL."""
    return f"REPLACE(REPLACE(REPLACE({column}, %s, ''), %s, ''), %s, '')"


def _unlisted_params(stage: str) -> tuple[str, str, str]:
    quoted = json.dumps(stage)
    return f"{quoted}, ", f", {quoted}", quoted


class HqDashboard(Projection):
    name = "hq_dashboard"
    schema_version = 4
    tables = ("hq_directives", "hq_reconciliations", "hq_alerts", "hq_titles", "hq_items")
    checksum_order = {"hq_directives": "directive_id", "hq_reconciliations": "reconciliation_id",
                      "hq_alerts": "alert_id", "hq_titles": "record_id", "hq_items": "item_id"}
    ddl = (
        "CREATE TABLE IF NOT EXISTS hq_directives ("
        " directive_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " reference_number TEXT NOT NULL, title TEXT NOT NULL, category TEXT, received_on TEXT NOT NULL,"
        " stages_done INTEGER NOT NULL DEFAULT 0, last_stage TEXT, registered_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL, closed_on TEXT, overdue_stages TEXT NOT NULL DEFAULT '[]',"
        " withdrawn INTEGER NOT NULL DEFAULT 0, amendments INTEGER NOT NULL DEFAULT 0,"
        " last_activity_on TEXT NOT NULL, stalls_on TEXT)",
        "CREATE INDEX IF NOT EXISTS hq_directives_group ON hq_directives (group_id)",
        "CREATE INDEX IF NOT EXISTS hq_directives_received ON hq_directives (received_on, directive_id)",
        "CREATE INDEX IF NOT EXISTS hq_directives_stalls ON hq_directives (stalls_on)",
        "CREATE TABLE IF NOT EXISTS hq_reconciliations ("
        " reconciliation_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " compared_on TEXT NOT NULL, open_findings TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS hq_alerts ("
        " alert_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, record_id TEXT NOT NULL, title TEXT NOT NULL, due_on TEXT NOT NULL,"
        " detected_on TEXT NOT NULL, occurred_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS hq_alerts_newest ON hq_alerts (occurred_at, alert_id)",
        "CREATE INDEX IF NOT EXISTS hq_alerts_detected ON hq_alerts (detected_on, alert_id)",
        "CREATE TABLE IF NOT EXISTS hq_titles (record_id TEXT PRIMARY KEY, title TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS hq_items ("
        " item_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " title TEXT NOT NULL, status TEXT NOT NULL, last_progress_on TEXT NOT NULL, stalls_on TEXT)",
        "CREATE INDEX IF NOT EXISTS hq_items_stalls ON hq_items (stalls_on)",
    )

    def figures(self, db: Any) -> dict[str, Any]:
        """The rows of each table and, per group, what the dashboard's summary shows (every group: HQ's view)."""
        from projections.hq_dashboard.view import HqDashboardView

        return super().figures(db) | HqDashboardView(db).summary(lambda row: True)

    @handles("ledgers.DirectiveRegistered")
    def directive_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO hq_directives (directive_id, group_id, unit_id, distribution, reference_number,"
            " title, category, received_on, stages_done, last_stage, registered_at, updated_at,"
            " last_activity_on, stalls_on) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, NULL, %s, %s, %s, %s)"
            " ON CONFLICT (directive_id) DO NOTHING",
            (
                payload.directive_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
                payload.reference_number, payload.title, payload.category,
                payload.received_on.isoformat(), envelope.occurred_at.isoformat(),
                envelope.occurred_at.isoformat(), payload.received_on.isoformat(),
                directive_stalls_on(payload.received_on.isoformat()),
            ),
        )

    @handles("ledgers.DirectiveStageRecorded")
    def stage_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """One statement over the row as it stands, without reading it back (a read is a round trip that breaks
        the projector's pipelined writes).

        The latest activity is the later of the stored day and this stage's (ISO days: text order is day order).
        An open directive stalls `directive_stalls_on` that day: when the stored day is the later one, the stored
        `stalls_on` already is its stall day (every handler writes the two together, and clears `stalls_on`
        only on closure, which is final), so only this stage's stall day is computed here. A stage that was
        overdue leaves the overdue list (`_unlisted`)."""
        done_on = payload.done_on.isoformat()
        closed_on = done_on if payload.stage == CLOSING_STAGE else None
        tx.execute(
            "UPDATE hq_directives SET stages_done = stages_done + 1, last_stage = %s, updated_at = %s,"
            " closed_on = COALESCE(closed_on, %s),"
            " last_activity_on = CASE WHEN last_activity_on >= %s THEN last_activity_on ELSE %s END,"
            " stalls_on = CASE WHEN COALESCE(closed_on, %s) IS NOT NULL THEN NULL"
            " WHEN last_activity_on >= %s THEN stalls_on ELSE %s END,"
            f" overdue_stages = {_unlisted('overdue_stages')} WHERE directive_id = %s",
            (payload.stage, envelope.occurred_at.isoformat(), closed_on, done_on, done_on, closed_on, done_on,
             directive_stalls_on(done_on), *_unlisted_params(payload.stage), payload.directive_id),
        )

    @handles("ledgers.DirectiveAmended")
    def directive_amended(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        changes = {field: payload.changes[field] for field in AMENDABLE if field in payload.changes}
        assignments = "".join(f"{field} = %s, " for field in changes)
        tx.execute(
            f"UPDATE hq_directives SET {assignments}amendments = amendments + 1, updated_at = %s"
            " WHERE directive_id = %s",
            (*changes.values(), envelope.occurred_at.isoformat(), payload.directive_id),
        )
        if "received_on" in changes:  # a directive without stages has been waiting since its (corrected) receipt
            received_on = str(changes["received_on"])
            tx.execute("UPDATE hq_directives SET last_activity_on = %s, stalls_on = %s"
                       " WHERE directive_id = %s AND stages_done = 0",
                       (received_on, directive_stalls_on(received_on), payload.directive_id))

    @handles("ledgers.DirectiveWithdrawn")
    def directive_withdrawn(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE hq_directives SET withdrawn = 1, updated_at = %s WHERE directive_id = %s",
                   (envelope.occurred_at.isoformat(), payload.directive_id))
        tx.execute("DELETE FROM hq_alerts WHERE record_id = %s", (payload.directive_id,))

    @handles("ledgers.StageOverdue")
    def stage_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        row = tx.fetchone("SELECT overdue_stages, title FROM hq_directives WHERE directive_id = %s",
                          (payload.directive_id,))
        if row is None:
            return
        stages = sorted(set(json.loads(row[0])) | {payload.stage})
        tx.execute("UPDATE hq_directives SET overdue_stages = %s WHERE directive_id = %s",
                   (json.dumps(stages), payload.directive_id))
        self._alert(tx, envelope, "stage_overdue", payload.directive_id, payload.due_on, payload.detected_on,
                    TitleFrom("%s", str(row[1])))

    @handles("ledgers.FirstAgendaItemRecorded")
    def first_agenda(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """第一议题 studied late, or not as the first agenda item: an alert (due: the threshold's last day)."""
        if payload.outcome not in FIRST_AGENDA_ALERTS:
            return
        self._alert(tx, envelope, FIRST_AGENDA_ALERTS[payload.outcome], payload.directive_id, payload.due_on,
                    payload.studied_on, TitleFrom(
                        "(SELECT title FROM hq_directives WHERE directive_id = %s)", payload.directive_id, True))

    @handles("ledgers.ItemOpened", "ledgers.SchedulingRoundOpened")
    def titled(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """Items and rounds are the workbench's records: the dashboard keeps their titles for its alerts."""
        record_id, title = (payload.item_id, payload.title) if envelope.type == "ledgers.ItemOpened" else (
            payload.round_id, payload.subject)
        tx.execute("INSERT INTO hq_titles (record_id, title) VALUES (%s, %s) ON CONFLICT (record_id) DO NOTHING",
                   (record_id, title))
        if envelope.type == "ledgers.ItemOpened":
            opened_on = beijing_date(envelope.occurred_at).isoformat()
            tx.execute(
                "INSERT INTO hq_items (item_id, group_id, unit_id, distribution, title, status, last_progress_on,"
                " stalls_on) VALUES (%s, %s, %s, %s, %s, 'open', %s, %s) ON CONFLICT (item_id) DO NOTHING",
                (payload.item_id, envelope.group_id or "", envelope.unit_id, envelope.distribution, payload.title,
                 opened_on, item_stalls_on(opened_on)))

    @handles("ledgers.ItemProgressUpdated", "ledgers.ItemEvidenceAttached", "ledgers.ItemClosed",
             "ledgers.ItemReopened")
    def item_progress(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """Progress, evidence and reopening restart an item's wait; closure ends it. One statement over the row
        as it stands (no read-back): the status this event sets (else the stored one), the later of the stored
        progress day and this event's, and, for an active item, `item_stalls_on` of that day in SQL."""
        status = {"ledgers.ItemProgressUpdated": getattr(payload, "status", None), "ledgers.ItemClosed": "closed",
                  "ledgers.ItemReopened": "open"}.get(envelope.type) or None
        day = beijing_date(envelope.occurred_at).isoformat()
        last = "CASE WHEN last_progress_on >= %s THEN last_progress_on ELSE %s END"
        tx.execute(
            f"UPDATE hq_items SET status = COALESCE(%s, status), last_progress_on = {last},"
            f" stalls_on = CASE WHEN COALESCE(%s, status) IN ({', '.join(['%s'] * len(ACTIVE_ITEM))})"
            f" THEN {days_after(tx, last)} END WHERE item_id = %s",
            (status, day, day, status, *ACTIVE_ITEM, day, day, STALLED_ITEM_DAYS, payload.item_id),
        )

    @handles("ledgers.ItemOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._alert(tx, envelope, "item_overdue", payload.item_id, payload.due_on, payload.detected_on,
                    TitleFrom(TITLES, payload.item_id))

    @handles("ledgers.SchedulingRoundOverdue")
    def round_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._alert(tx, envelope, "round_overdue", payload.round_id, payload.respond_by, payload.detected_on,
                    TitleFrom(TITLES, payload.round_id))

    def _alert(self, tx: Tx, envelope: Envelope, kind: str, record_id: str, due_on: Any, detected_on: Any,
               title: TitleFrom) -> None:
        """An alert, its title taken in the statement itself (no read-back); none if the title is `required`
        and not found."""
        title_sql, where = ((title.sql, f"{title.sql} IS NOT NULL") if title.required
                            else (f"COALESCE({title.sql}, '')", "1 = 1"))
        tx.execute(
            "INSERT INTO hq_alerts (alert_id, group_id, unit_id, distribution, kind, record_id, title, due_on,"
            f" detected_on, occurred_at) SELECT %s, %s, %s, %s, %s, %s, {title_sql}, %s, %s, %s WHERE {where}"
            " ON CONFLICT (alert_id) DO NOTHING",
            (f"{envelope.service}:{envelope.position:020d}", envelope.group_id or "", envelope.unit_id,
             envelope.distribution, kind, record_id, title.param, due_on.isoformat(), detected_on.isoformat(),
             envelope.occurred_at.isoformat(), *((title.param,) if title.required else ())),
        )

    @handles("ledgers.ReconciliationRecorded")
    def reconciliation_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO hq_reconciliations (reconciliation_id, group_id, unit_id, distribution, compared_on,"
            " open_findings) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (reconciliation_id) DO NOTHING",
            (payload.reconciliation_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
             payload.compared_on.isoformat(), json.dumps(list(range(len(payload.findings))))),
        )

    @handles("ledgers.ReconciliationFindingResolved")
    def finding_resolved(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        row = tx.fetchone("SELECT open_findings FROM hq_reconciliations WHERE reconciliation_id = %s",
                          (payload.reconciliation_id,))
        if row is not None:
            remaining = [i for i in json.loads(row[0]) if i != payload.index]
            tx.execute("UPDATE hq_reconciliations SET open_findings = %s WHERE reconciliation_id = %s",
                       (json.dumps(remaining), payload.reconciliation_id))
