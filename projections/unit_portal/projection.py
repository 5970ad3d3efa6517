"""Unit portal read model: one deduplicated to-do list per unit, its submissions, the directives it notified.

The same demand on a unit reaches the bus several times: a supervision recommendation (纪检监察建议) is
`clues.RecommendationIssued`, then one ledger item per recommendation line (`ledgers.ItemOpened`, source
`clue`), then the item the units service sends (`units.OutboundIssued`, kind `recommendation`). Each such
record is a *source* (`unit_portal_sources`); sources that describe one demand share a `todo_key`
(`recommendation:<id>`, `rectification:<inspection item id>`, `scheduling:<round id>`, or the record's own id)
and the to-do row (`unit_portal_todo`) is recomputed from its sources after every change. The row depends
only on the set of sources and answers, never on the order services' histories interleave: a rebuild gives
the same checksum.

Only records published to the unit (distribution `unit`) enter: nothing about clues (their events are
never handled here, not even counted), nothing group-internal. Every row carries group_id, unit_id and
distribution so `authz.filters.read_filter` decides who reads it in the query.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from events.envelope import Envelope
from projections.common.db import Tx
from projections.common.projection import Projection, handles

UNIT = "unit"

AUTHORITATIVE = ("clues", "inspections", "ledgers-round")
"""Services whose record of a demand decides when it is closed (the unit's answer alone does not close it)."""

TITLE_PREFERENCE = {"clues": 0, "inspections": 1, "ledgers-round": 2, "units": 3, "ledgers": 4}

LEDGER_LIST_KINDS = {"task": "task", "responsibility": "task", "implementation": "task", "problem": "problem"}

SUBMISSION_KINDS = {
    "units.DirectiveNotified": ("directive_notification", "notification_id"),
    "units.SupervisionReportSubmitted": ("supervision_report", "report_id"),
    "units.RectificationReported": ("rectification_report", "report_id"),
    "units.ProgressReported": ("progress_report", "report_id"),
    "units.SituationNoticed": ("situation_notice", "notice_id"),
    "units.DemocraticEvaluationReported": ("democratic_evaluation", "submission_id"),
    "units.DutyIntegrityReportSubmitted": ("duty_integrity_report", "submission_id"),
    "units.IntegrityOpinionReplied": ("integrity_opinion_reply", "submission_id"),
    "units.InboundReceived": ("", "submission_id"),
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _for_unit(envelope: Envelope) -> bool:
    return envelope.distribution == UNIT and bool(envelope.unit_id)


def submission_title(event_type: str, payload: Any) -> str:
    """What the unit called its submission, or a title made of its facts when the contract has none."""
    if hasattr(payload, "title"):
        return str(payload.title)
    if event_type == "units.SupervisionReportSubmitted":
        return f"督查专报 {payload.period} (supervision report)"
    if event_type == "units.ProgressReported":
        return f"进展报告 {payload.period} (progress report)"
    if event_type == "units.RectificationReported":
        return f"整改报告 (rectification report): {payload.summary[:80]}"
    if event_type == "units.DemocraticEvaluationReported":
        return f"民主测评 {payload.year} {payload.cadre} (democratic evaluation)"
    if event_type == "units.DutyIntegrityReportSubmitted":
        return f"述责述廉 {payload.year} {payload.cadre} (duty and integrity report)"
    if event_type == "units.IntegrityOpinionReplied":
        return f"廉政意见回复 {payload.request_ref} (integrity opinion reply)"
    return event_type


class UnitPortal(Projection):
    name = "unit_portal"
    schema_version = 1
    tables = ("unit_portal_units", "unit_portal_round_directives", "unit_portal_sources", "unit_portal_answers", "unit_portal_todo", "unit_portal_submissions",
              "unit_portal_notifications", "unit_portal_links")
    checksum_order = {
        "unit_portal_units": "unit_id",
        "unit_portal_round_directives": "round_id, directive_id",
        "unit_portal_sources": "service, source_id",
        "unit_portal_answers": "report_id",
        "unit_portal_todo": "unit_id, todo_key",
        "unit_portal_submissions": "submission_id",
        "unit_portal_notifications": "notification_id",
        "unit_portal_links": "notification_id",
    }
    ddl = (
        "CREATE TABLE IF NOT EXISTS unit_portal_units ("
        " unit_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, distribution TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS unit_portal_round_directives ("
        " round_id TEXT NOT NULL, directive_id TEXT NOT NULL, responded INTEGER NOT NULL,"
        " PRIMARY KEY (round_id, directive_id))",
        "CREATE TABLE IF NOT EXISTS unit_portal_sources ("
        " service TEXT NOT NULL, source_id TEXT NOT NULL, unit_id TEXT NOT NULL, group_id TEXT NOT NULL,"
        " todo_key TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, reference_number TEXT,"
        " due_on TEXT, state TEXT NOT NULL, overdue INTEGER NOT NULL, opened_on TEXT NOT NULL,"
        " PRIMARY KEY (service, source_id))",
        "CREATE INDEX IF NOT EXISTS unit_portal_sources_key ON unit_portal_sources (unit_id, todo_key)",
        "CREATE TABLE IF NOT EXISTS unit_portal_answers ("
        " report_id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, subject_ref TEXT NOT NULL,"
        " completed INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS unit_portal_answers_ref ON unit_portal_answers (unit_id, subject_ref)",
        "CREATE TABLE IF NOT EXISTS unit_portal_todo ("
        " unit_id TEXT NOT NULL, todo_key TEXT NOT NULL, group_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, title TEXT NOT NULL, reference_number TEXT, due_on TEXT, status TEXT NOT NULL,"
        " opened_on TEXT NOT NULL, source_count INTEGER NOT NULL, PRIMARY KEY (unit_id, todo_key))",
        "CREATE INDEX IF NOT EXISTS unit_portal_todo_due ON unit_portal_todo (unit_id, status, due_on)",
        "CREATE TABLE IF NOT EXISTS unit_portal_submissions ("
        " submission_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL,"
        " distribution TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, received_at TEXT NOT NULL,"
        " status TEXT NOT NULL, reviewed_on TEXT, answers_item_id TEXT)",
        "CREATE INDEX IF NOT EXISTS unit_portal_submissions_unit ON unit_portal_submissions (unit_id, received_at)",
        "CREATE TABLE IF NOT EXISTS unit_portal_notifications ("
        " notification_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL,"
        " distribution TEXT NOT NULL, reference_number TEXT NOT NULL, issuer TEXT NOT NULL, title TEXT NOT NULL,"
        " issued_on TEXT NOT NULL, received_on TEXT NOT NULL, lead_department TEXT NOT NULL,"
        " notified_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS unit_portal_links ("
        " notification_id TEXT PRIMARY KEY, directive_id TEXT NOT NULL, opened_loop INTEGER NOT NULL)",
    )

    @handles("units.UnitRegistered")
    def unit_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """The units the portal knows (a list of an unregistered unit is the same absence as an unreadable one)."""
        if envelope.unit_id:
            tx.execute("INSERT INTO unit_portal_units (unit_id, group_id, distribution) VALUES (%s, %s, %s)"
                       " ON CONFLICT (unit_id) DO NOTHING", (envelope.unit_id, envelope.group_id or "",
                                                            envelope.distribution))

    # -- sources of the to-do list ------------------------------------------------------------------
    def _source(self, tx: Tx, envelope: Envelope, *, service: str, source_id: str, todo_key: str, kind: str,
                title: str, reference_number: str | None, due_on: date | None) -> None:
        tx.execute(
            "INSERT INTO unit_portal_sources (service, source_id, unit_id, group_id, todo_key, kind, title,"
            " reference_number, due_on, state, overdue, opened_on) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " 'open', 0, %s) ON CONFLICT (service, source_id) DO NOTHING",
            (service, source_id, envelope.unit_id, envelope.group_id or "", f"{envelope.unit_id}|{todo_key}", kind,
             title, reference_number, _iso(due_on), envelope.occurred_at.date().isoformat()),
        )
        self._recompute(tx, str(envelope.unit_id), f"{envelope.unit_id}|{todo_key}")

    def _change(self, tx: Tx, service: str, source_id: str, **values: Any) -> None:
        found = tx.fetchone("SELECT unit_id, todo_key FROM unit_portal_sources WHERE service = %s AND source_id = %s",
                            (service, source_id))
        if found is None:
            return
        if values:
            assignments = ", ".join(f"{column} = %s" for column in values)
            tx.execute(f"UPDATE unit_portal_sources SET {assignments} WHERE service = %s AND source_id = %s",
                       (*values.values(), service, source_id))
        self._recompute(tx, str(found[0]), str(found[1]))

    def _recompute(self, tx: Tx, unit_id: str, scoped_key: str) -> None:
        """The to-do row of this key, from its sources and the unit's answers to them (order-independent)."""
        rows = tx.fetchall(
            "SELECT service, source_id, group_id, kind, title, reference_number, due_on, state, overdue, opened_on"
            " FROM unit_portal_sources WHERE unit_id = %s AND todo_key = %s ORDER BY service, source_id",
            (unit_id, scoped_key),
        )
        todo_key = scoped_key.partition("|")[2]
        live = [r for r in rows if r[7] != "withdrawn"]
        if not live:
            tx.execute("DELETE FROM unit_portal_todo WHERE unit_id = %s AND todo_key = %s", (unit_id, todo_key))
            return
        ids = sorted({str(r[1]) for r in live} | {todo_key.partition(":")[2]})
        placeholders = ", ".join(["%s"] * len(ids))
        answered_by_report = tx.fetchone(
            f"SELECT COUNT(*) FROM unit_portal_answers WHERE unit_id = %s AND completed = 1"
            f" AND subject_ref IN ({placeholders})", (unit_id, *ids))
        head = min(live, key=lambda r: (TITLE_PREFERENCE.get(str(r[0]), 9), str(r[1])))
        authoritative = [r for r in live if r[0] in AUTHORITATIVE]
        if authoritative:
            closed = all(r[7] == "closed" for r in authoritative)
        else:
            closed = all(r[7] == "closed" for r in live)
        answered = any(r[7] == "answered" for r in live) or bool(answered_by_report and answered_by_report[0])
        overdue = any(int(r[8]) for r in live if r[7] != "closed")
        status = "closed" if closed else "answered" if answered else "overdue" if overdue else "open"
        dues = sorted(str(r[6]) for r in live if r[6] is not None)
        kind = "recommendation" if todo_key.startswith("recommendation:") else str(head[3])
        tx.execute(
            "INSERT INTO unit_portal_todo (unit_id, todo_key, group_id, distribution, kind, title, reference_number,"
            " due_on, status, opened_on, source_count) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (unit_id, todo_key) DO UPDATE SET group_id = excluded.group_id,"
            " kind = excluded.kind, title = excluded.title, reference_number = excluded.reference_number,"
            " due_on = excluded.due_on, status = excluded.status, opened_on = excluded.opened_on,"
            " source_count = excluded.source_count",
            (unit_id, todo_key, head[2], UNIT, kind, head[4],
             next((r[5] for r in sorted(live, key=lambda r: TITLE_PREFERENCE.get(str(r[0]), 9)) if r[5]), None),
             dues[0] if dues else None, status, min(str(r[9]) for r in live), len(live)),
        )

    @handles("clues.RecommendationIssued")
    def recommendation_issued(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._source(tx, envelope, service="clues", source_id=payload.recommendation_id,
                         todo_key=f"recommendation:{payload.recommendation_id}", kind="recommendation",
                         title=payload.title, reference_number=payload.reference_number, due_on=payload.deadline)

    @handles("clues.RecommendationClosed")
    def recommendation_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "clues", payload.recommendation_id, state="closed")

    @handles("clues.RecommendationResponseRecorded")
    def recommendation_answered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """The group recorded the unit's report on its rectification: answered when it says completed."""
        if _for_unit(envelope) and payload.completed:
            tx.execute("UPDATE unit_portal_sources SET state = 'answered' WHERE service = 'clues' AND source_id = %s"
                       " AND state = 'open'", (payload.recommendation_id,))
            self._change(tx, "clues", payload.recommendation_id)

    @handles("clues.RecommendationOverdue")
    def recommendation_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "clues", payload.recommendation_id, overdue=1)

    @handles("ledgers.ItemOpened")
    def item_opened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if not _for_unit(envelope):
            return
        if payload.source == "clue" and payload.source_ref:
            key, kind = f"recommendation:{payload.source_ref}", "recommendation"
        elif payload.source == "inspection" and payload.source_ref:
            key, kind = f"rectification:{payload.source_ref}", "rectification"
        else:
            key, kind = f"ledger-item:{payload.item_id}", LEDGER_LIST_KINDS.get(payload.list_kind, "task")
        self._source(tx, envelope, service="ledgers", source_id=payload.item_id, todo_key=key, kind=kind,
                     title=payload.title, reference_number=None, due_on=payload.due_on)

    @handles("ledgers.ItemDeadlineSet")
    def item_deadline_set(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "ledgers", payload.item_id, due_on=_iso(payload.due_on), overdue=0)

    @handles("ledgers.ItemOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "ledgers", payload.item_id, overdue=1)

    @handles("ledgers.ItemProgressUpdated")
    def item_progress(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope) and payload.status == "done":
            self._change(tx, "ledgers", payload.item_id, state="answered")

    @handles("ledgers.ItemClosed")
    def item_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "ledgers", payload.item_id, state="closed", overdue=0)

    @handles("ledgers.ItemReopened")
    def item_reopened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "ledgers", payload.item_id, state="open", overdue=0, due_on=_iso(payload.due_on))

    @handles("ledgers.SchedulingRoundOpened")
    def scheduling_round_opened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            for directive_id in sorted(set(payload.directive_ids)):
                tx.execute("INSERT INTO unit_portal_round_directives (round_id, directive_id, responded)"
                           " VALUES (%s, %s, 0) ON CONFLICT (round_id, directive_id) DO NOTHING",
                           (payload.round_id, directive_id))
            self._source(tx, envelope, service="ledgers-round", source_id=payload.round_id,
                         todo_key=f"scheduling:{payload.round_id}", kind="scheduling_round",
                         title=payload.subject, reference_number=None, due_on=payload.respond_by)

    @handles("ledgers.SchedulingRoundResponded")
    def scheduling_round_responded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """Answered once the unit has answered for every directive the round asked about."""
        if not _for_unit(envelope):
            return
        tx.execute("UPDATE unit_portal_round_directives SET responded = 1 WHERE round_id = %s AND directive_id = %s",
                   (payload.round_id, payload.directive_id))
        waiting = tx.fetchone("SELECT COUNT(*) FROM unit_portal_round_directives WHERE round_id = %s"
                              " AND responded = 0", (payload.round_id,))
        if waiting is not None and int(waiting[0]) == 0:
            self._change(tx, "ledgers-round", payload.round_id, state="answered")

    @handles("ledgers.SchedulingRoundClosed")
    def scheduling_round_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "ledgers-round", payload.round_id, state="closed", overdue=0)

    @handles("ledgers.SchedulingRoundOverdue")
    def scheduling_round_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "ledgers-round", payload.round_id, overdue=1)

    @handles("inspections.RectificationItemHandedOver")
    def rectification_handed_over(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._source(tx, envelope, service="inspections", source_id=payload.item_id,
                         todo_key=f"rectification:{payload.item_id}", kind="rectification", title=payload.title,
                         reference_number=None, due_on=payload.deadline)

    @handles("inspections.RectificationProgressRecorded")
    def rectification_progress(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope) and payload.completed:
            self._change(tx, "inspections", payload.item_id, state="closed", overdue=0)

    @handles("inspections.RectificationItemOverdue")
    def rectification_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "inspections", payload.item_id, overdue=1)

    @handles("units.OutboundIssued")
    def outbound_issued(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if not _for_unit(envelope):
            return
        if payload.kind == "recommendation" and payload.source_ref:
            key = f"recommendation:{payload.source_ref}"
        else:
            key = f"outbound:{payload.item_id}"
        self._source(tx, envelope, service="units", source_id=payload.item_id, todo_key=key, kind=payload.kind,
                     title=payload.title, reference_number=payload.reference_number, due_on=payload.deadline)

    @handles("units.OutboundAnswered")
    def outbound_answered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope) and payload.completed:
            self._change(tx, "units", payload.item_id, state="answered")

    @handles("units.OutboundOverdue")
    def outbound_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "units", payload.item_id, overdue=1)

    @handles("units.OutboundWithdrawn")
    def outbound_withdrawn(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            self._change(tx, "units", payload.item_id, state="withdrawn")

    # -- submissions and what they answer -----------------------------------------------------------
    @handles(*SUBMISSION_KINDS)
    def submitted(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if not _for_unit(envelope):
            return
        kind, id_field = SUBMISSION_KINDS[envelope.type]
        kind = kind or str(payload.kind)
        submission_id = str(getattr(payload, id_field))
        tx.execute(
            "INSERT INTO unit_portal_submissions (submission_id, group_id, unit_id, distribution, kind, title,"
            " received_at, status, reviewed_on, answers_item_id) VALUES (%s, %s, %s, %s, %s, %s, %s, 'received',"
            " NULL, %s) ON CONFLICT (submission_id) DO NOTHING",
            (submission_id, envelope.group_id or "", envelope.unit_id, UNIT, kind,
             submission_title(envelope.type, payload), envelope.occurred_at.isoformat(),
             getattr(payload, "answers_item_id", None)),
        )
        if envelope.type == "units.DirectiveNotified":
            tx.execute(
                "INSERT INTO unit_portal_notifications (notification_id, group_id, unit_id, distribution,"
                " reference_number, issuer, title, issued_on, received_on, lead_department, notified_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (notification_id) DO NOTHING",
                (submission_id, envelope.group_id or "", envelope.unit_id, UNIT, payload.reference_number,
                 payload.issuer, payload.title, payload.issued_on.isoformat(), payload.received_on.isoformat(),
                 payload.lead_department, envelope.occurred_at.isoformat()),
            )
        subject = payload.subject_ref if envelope.type == "units.RectificationReported" else None
        if subject:
            tx.execute(
                "INSERT INTO unit_portal_answers (report_id, unit_id, subject_ref, completed) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (report_id) DO NOTHING",
                (submission_id, envelope.unit_id, subject, 1 if payload.completed else 0),
            )
            for (scoped_key,) in tx.fetchall(
                "SELECT DISTINCT todo_key FROM unit_portal_sources WHERE unit_id = %s AND (source_id = %s"
                " OR todo_key = %s OR todo_key = %s)",
                (envelope.unit_id, subject, f"{envelope.unit_id}|recommendation:{subject}",
                 f"{envelope.unit_id}|rectification:{subject}"),
            ):
                self._recompute(tx, str(envelope.unit_id), str(scoped_key))

    @handles("units.SubmissionReviewed")
    def submission_reviewed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if _for_unit(envelope):
            tx.execute("UPDATE unit_portal_submissions SET status = 'reviewed', reviewed_on = %s"
                       " WHERE submission_id = %s", (payload.reviewed_on.isoformat(), payload.submission_id))

    @handles("ledgers.DirectiveNotificationLinked")
    def notification_linked(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """Which ledger entry the unit's notification was filed under (shown only with the notification)."""
        tx.execute(
            "INSERT INTO unit_portal_links (notification_id, directive_id, opened_loop) VALUES (%s, %s, %s)"
            " ON CONFLICT (notification_id) DO NOTHING",
            (payload.notification_id, payload.directive_id, 1 if payload.opened_loop else 0),
        )
