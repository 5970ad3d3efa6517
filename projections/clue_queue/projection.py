"""Clue queue read model: the facts of each clue (never its content), who is in its compartment, the
referrals awaiting the group leader, and the figures HQ counts.

What it holds is only what the clues service publishes (`events/clues.py`): ids, source, category codes,
the key-person flag, status, disposition, four forms, deadlines, and the user ids of each compartment. No
subject, no allegation text, no notes, no reasons: those stay in the clues service (read by id there, each
read recorded).

Rows of `clue_queue` carry distribution `compartment:<clue_id>`; `clue_compartments` says who is in each
compartment, so `authz.filters.read_filter(principal, Columns(compartments="clue_compartments"))` lets a
member read exactly the clues whose compartment includes them. A referral awaiting the leader has no
compartment yet: it is in `clue_intake` (distribution `group`) until the leader takes it in.

`clue_recommendations` holds the supervision recommendations (纪检监察建议), which name no clue and no person:
a draft with distribution `group`, once issued `unit` (the group, HQ and the unit addressed).
"""

from __future__ import annotations

import json
from typing import Any

from events.envelope import Envelope
from projections.common.db import Tx
from projections.common.projection import Projection, handles

DEADLINE_KINDS = ("disposition", "inquiry_reply", "verification", "hold_review")

COLUMNS = ("clue_id", "group_id", "unit_id", "distribution", "source", "categories", "key_person", "received_on",
           "status", "disposition", "proposed_disposition", "four_forms", "result", "deadlines",
           "joint_screening_open", "referral_id", "round_id", "version", "registered_at", "updated_at")

REC_COLUMNS = ("recommendation_id", "group_id", "unit_id", "distribution", "reference_number", "title", "problems",
               "recommendations", "responsible_department", "deadline", "status", "issued_on", "responses",
               "closure", "overdue", "version", "updated_at")


def compartment_of(clue_id: str) -> str:
    return f"compartment:{clue_id}"


class ClueQueue(Projection):
    name = "clue_queue"
    schema_version = 1
    tables = ("clue_queue", "clue_categories", "clue_compartments", "clue_intake", "clue_recommendations")
    checksum_order = {
        "clue_queue": "clue_id",
        "clue_categories": "clue_id, category",
        "clue_compartments": "compartment, user_id",
        "clue_intake": "clue_id",
        "clue_recommendations": "recommendation_id",
    }
    ddl = (
        "CREATE TABLE IF NOT EXISTS clue_queue ("
        " clue_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " source TEXT NOT NULL, categories TEXT NOT NULL, key_person INTEGER NOT NULL, received_on TEXT NOT NULL,"
        " status TEXT NOT NULL, disposition TEXT, proposed_disposition TEXT, four_forms INTEGER, result TEXT,"
        " deadlines TEXT NOT NULL, joint_screening_open INTEGER NOT NULL DEFAULT 0, referral_id TEXT,"
        " round_id TEXT, version INTEGER NOT NULL, registered_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS clue_queue_group ON clue_queue (group_id, received_on)",
        "CREATE UNIQUE INDEX IF NOT EXISTS clue_queue_distribution ON clue_queue (distribution)",
        "CREATE TABLE IF NOT EXISTS clue_categories ("
        " clue_id TEXT NOT NULL, category TEXT NOT NULL, PRIMARY KEY (clue_id, category))",
        "CREATE TABLE IF NOT EXISTS clue_compartments ("
        " compartment TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (compartment, user_id))",
        "CREATE INDEX IF NOT EXISTS clue_compartments_user ON clue_compartments (user_id)",
        "CREATE TABLE IF NOT EXISTS clue_intake ("
        " clue_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " source TEXT NOT NULL, received_on TEXT NOT NULL, referral_id TEXT, round_id TEXT, due_on TEXT)",
        "CREATE TABLE IF NOT EXISTS clue_recommendations ("
        " recommendation_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " reference_number TEXT NOT NULL, title TEXT NOT NULL, problems TEXT NOT NULL, recommendations TEXT NOT NULL,"
        " responsible_department TEXT NOT NULL, deadline TEXT NOT NULL, status TEXT NOT NULL, issued_on TEXT,"
        " responses TEXT NOT NULL, closure TEXT, overdue INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS clue_recommendations_unit ON clue_recommendations (unit_id, deadline)",
    )

    # -- registration and compartment ---------------------------------------------------------------
    @handles("clues.ClueRegistered")
    def registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        deadlines: dict[str, Any] = {}
        if payload.disposition_due_on is not None:
            deadlines["disposition"] = _deadline(payload.disposition_due_on.isoformat())
        at = envelope.occurred_at.isoformat()
        tx.execute(
            f"INSERT INTO clue_queue ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
            " ON CONFLICT (clue_id) DO NOTHING",
            (payload.clue_id, envelope.group_id or "", envelope.unit_id, compartment_of(payload.clue_id),
             payload.source, json.dumps(list(payload.categories)), int(payload.key_person),
             payload.received_on.isoformat(), payload.status, None, None, None, None, json.dumps(deadlines), 0,
             payload.referral_id, payload.round_id, envelope.stream_version, at, at),
        )
        for category in dict.fromkeys(payload.categories):
            tx.execute("INSERT INTO clue_categories (clue_id, category) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                       (payload.clue_id, category))
        self._add_members(tx, payload.clue_id, payload.compartment)
        if payload.status == "referred":
            tx.execute(
                "INSERT INTO clue_intake (clue_id, group_id, unit_id, distribution, source, received_on,"
                " referral_id, round_id, due_on) VALUES (%s, %s, %s, 'group', %s, %s, %s, %s, %s)"
                " ON CONFLICT (clue_id) DO NOTHING",
                (payload.clue_id, envelope.group_id or "", envelope.unit_id, payload.source,
                 payload.received_on.isoformat(), payload.referral_id, payload.round_id,
                 payload.disposition_due_on.isoformat() if payload.disposition_due_on else None),
            )

    @handles("clues.ClueCompartmentChanged")
    def compartment_changed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._add_members(tx, payload.clue_id, payload.added)
        for user in payload.removed:
            tx.execute("DELETE FROM clue_compartments WHERE compartment = %s AND user_id = %s",
                       (compartment_of(payload.clue_id), user))
        self._touch(tx, envelope, payload.clue_id)

    @staticmethod
    def _add_members(tx: Tx, clue_id: str, users: list[str]) -> None:
        for user in users:
            tx.execute("INSERT INTO clue_compartments (compartment, user_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                       (compartment_of(clue_id), user))

    # -- status, deadlines ----------------------------------------------------------------------------
    @handles("clues.ClueStatusChanged")
    def status_changed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        row = self._row(tx, payload.clue_id)
        if row is None:
            return
        deadlines: dict[str, Any] = json.loads(row["deadlines"])
        disposition, proposed = row["disposition"], row["proposed_disposition"]
        four_forms, result = row["four_forms"], row["result"]
        step = payload.step
        if step == "accepted":
            self._add_members(tx, payload.clue_id, payload.compartment_added)
            tx.execute("DELETE FROM clue_intake WHERE clue_id = %s", (payload.clue_id,))
        elif step == "reopened":
            _close(deadlines, DEADLINE_KINDS)
            disposition = proposed = four_forms = result = None
        elif step == "proposed":
            proposed = payload.disposition
        elif step == "declined":
            proposed = None
        elif step == "decided":
            proposed = None
            disposition = payload.disposition
            _close(deadlines, ("disposition",))
            if payload.status == "closed":
                _close(deadlines, DEADLINE_KINDS)
                result, four_forms = "closed", None
        elif step == "reply":
            _close(deadlines, ("inquiry_reply",))
        elif step == "verification":
            _close(deadlines, ("verification",))
        elif step == "concluded":
            _close(deadlines, DEADLINE_KINDS)
            result, four_forms = payload.result, payload.four_forms
        elif step == "":  # upcast from v1: what the status change itself says
            disposition = payload.disposition or disposition
            if payload.result is not None:
                result, four_forms = payload.result, payload.four_forms
        if payload.deadline is not None and payload.due_on is not None:
            deadlines[payload.deadline] = _deadline(payload.due_on.isoformat())
        tx.execute(
            "UPDATE clue_queue SET status = %s, disposition = %s, proposed_disposition = %s, four_forms = %s,"
            " result = %s, deadlines = %s, version = %s, updated_at = %s WHERE clue_id = %s",
            (payload.status, disposition, proposed, four_forms, result, json.dumps(deadlines),
             envelope.stream_version, envelope.occurred_at.isoformat(), payload.clue_id),
        )

    @handles("clues.ClueOverdue")
    def overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        row = self._row(tx, payload.clue_id)
        if row is None:
            return
        deadlines: dict[str, Any] = json.loads(row["deadlines"])
        if payload.deadline in deadlines:
            deadlines[payload.deadline]["overdue"] = True
        tx.execute("UPDATE clue_queue SET deadlines = %s, version = %s, updated_at = %s WHERE clue_id = %s",
                   (json.dumps(deadlines), envelope.stream_version, envelope.occurred_at.isoformat(),
                    payload.clue_id))

    @handles("clues.ClueJointScreeningChanged")
    def joint_screening(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE clue_queue SET joint_screening_open = %s, version = %s, updated_at = %s WHERE clue_id = %s",
                   (int(payload.open), envelope.stream_version, envelope.occurred_at.isoformat(), payload.clue_id))

    # -- recommendations (纪检监察建议): drafts (distribution `group`), then issued (`unit`) ----------------------
    @handles("clues.RecommendationDrafted")
    def recommendation_drafted(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(f"INSERT INTO clue_recommendations ({', '.join(REC_COLUMNS)}) VALUES ({', '.join(['%s'] * len(REC_COLUMNS))})"
                   " ON CONFLICT (recommendation_id) DO NOTHING", _recommendation_row(envelope, payload, "drafted", None))


    @handles("clues.RecommendationIssued")
    def recommendation_issued(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """Issued: the text as issued, now distributed to the unit (a draft from before drafts were published is
        inserted here)."""
        row = _recommendation_row(envelope, payload, "issued", payload.issued_on.isoformat() if payload.issued_on else None)
        updates = ("distribution", "reference_number", "title", "problems", "recommendations", "responsible_department",
                   "deadline", "status", "issued_on", "version", "updated_at")
        tx.execute(f"INSERT INTO clue_recommendations ({', '.join(REC_COLUMNS)}) VALUES ({', '.join(['%s'] * len(REC_COLUMNS))})"
                   f" ON CONFLICT (recommendation_id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in updates)}",
                   row)


    @handles("clues.RecommendationResponseRecorded")
    def recommendation_responded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        found = tx.fetchone("SELECT responses FROM clue_recommendations WHERE recommendation_id = %s",
                            (payload.recommendation_id,))
        if found is None:
            return
        responses = json.loads(found[0])
        responses.append({"report_id": payload.report_id, "summary": payload.summary, "completed": payload.completed,
                          "received_on": payload.received_on.isoformat()})
        tx.execute("UPDATE clue_recommendations SET responses = %s, status = 'responded', version = %s, updated_at = %s"
                   " WHERE recommendation_id = %s",
                   (json.dumps(responses, ensure_ascii=False), envelope.stream_version, envelope.occurred_at.isoformat(),
                    payload.recommendation_id))


    @handles("clues.RecommendationClosed")
    def recommendation_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        closure = json.dumps({"closed_on": payload.closed_on.isoformat(), "evidence": payload.evidence}, ensure_ascii=False)
        tx.execute("UPDATE clue_recommendations SET status = 'closed', closure = %s, version = %s, updated_at = %s"
                   " WHERE recommendation_id = %s",
                   (closure, envelope.stream_version, envelope.occurred_at.isoformat(), payload.recommendation_id))


    @handles("clues.RecommendationOverdue")
    def recommendation_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE clue_recommendations SET overdue = 1, version = %s, updated_at = %s WHERE recommendation_id = %s",
                   (envelope.stream_version, envelope.occurred_at.isoformat(), payload.recommendation_id))

    # -- helpers --------------------------------------------------------------------------------------
    @staticmethod
    def _touch(tx: Tx, envelope: Envelope, clue_id: str) -> None:
        tx.execute("UPDATE clue_queue SET version = %s, updated_at = %s WHERE clue_id = %s",
                   (envelope.stream_version, envelope.occurred_at.isoformat(), clue_id))

    @staticmethod
    def _row(tx: Tx, clue_id: str) -> dict[str, Any] | None:
        found = tx.fetchone(f"SELECT {', '.join(COLUMNS)} FROM clue_queue WHERE clue_id = %s", (clue_id,))
        return None if found is None else dict(zip(COLUMNS, found, strict=True))


def _deadline(due_on: str) -> dict[str, Any]:
    return {"due_on": due_on, "done": False, "overdue": False}


def _close(deadlines: dict[str, Any], kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        if kind in deadlines:
            deadlines[kind]["done"] = True


def _recommendation_row(envelope: Envelope, payload: Any, status: str, issued_on: str | None) -> tuple[Any, ...]:
    return (payload.recommendation_id, envelope.group_id or "", envelope.unit_id, envelope.distribution,
            payload.reference_number, payload.title, json.dumps(list(payload.problems), ensure_ascii=False),
            json.dumps(list(payload.recommendations), ensure_ascii=False), payload.responsible_department,
            payload.deadline.isoformat(), status, issued_on, "[]", None, 0, envelope.stream_version,
            envelope.occurred_at.isoformat())
