"""Unit channel read model: the group↔unit channel's lists (items sent to the unit, 三重一大 matters,
requests and reports upward, consultations, joint announcements), one row per record, each with the
group_id, unit_id and distribution it was published with, so `authz.filters.read_filter` decides in the query.

It replaces the units service's list queries, which loaded every aggregate of every unit. A row is the
record's summary as published; the full record (bodies, minutes, observations) is read by id from the service.
Every table folds one service's events in that service's order: a rebuild gives the same checksum.
"""

from __future__ import annotations

import json
from typing import Any

from events.envelope import Envelope
from events.vocab import MIN_FEEDBACK_OPINIONS
from projections.common.db import Tx
from projections.common.projection import Projection, handles


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class UnitChannel(Projection):
    name = "unit_channel"
    schema_version = 2
    tables = ("channel_units", "channel_drafts", "channel_draft_opinions", "channel_items", "channel_matters", "channel_upward", "channel_consultations",
              "channel_announcements", "channel_contacts", "channel_network_activities")
    checksum_order = {
        "channel_units": "unit_id", "channel_drafts": "draft_id", "channel_draft_opinions": "draft_id, member",
        "channel_items": "item_id", "channel_matters": "matter_id",
        "channel_upward": "upward_id", "channel_consultations": "consultation_id",
        "channel_announcements": "announcement_id",
        "channel_contacts": "contact_id", "channel_network_activities": "activity_id",
    }
    ddl = (
        "CREATE TABLE IF NOT EXISTS channel_units ("
        " unit_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, distribution TEXT NOT NULL, name TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS channel_drafts ("
        " draft_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " title TEXT NOT NULL, form TEXT NOT NULL, important INTEGER NOT NULL, counterpart_id TEXT NOT NULL,"
        " drafted_by TEXT NOT NULL, deadline TEXT NOT NULL, drafted_on TEXT NOT NULL, revision INTEGER NOT NULL,"
        " status TEXT NOT NULL, opinion_count INTEGER NOT NULL, decision TEXT, issued_item_id TEXT)",
        "CREATE TABLE IF NOT EXISTS channel_draft_opinions ("
        " draft_id TEXT NOT NULL, member TEXT NOT NULL, stance TEXT NOT NULL, PRIMARY KEY (draft_id, member))",
        "CREATE TABLE IF NOT EXISTS channel_items ("
        " item_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, title TEXT NOT NULL, reference_number TEXT NOT NULL, counterpart_id TEXT NOT NULL,"
        " counterpart_name TEXT NOT NULL, level TEXT NOT NULL, signed_by TEXT NOT NULL, deadline TEXT NOT NULL,"
        " issued_on TEXT NOT NULL, source_ref TEXT, status TEXT NOT NULL, delivered_on TEXT,"
        " acknowledged_on TEXT, answer_count INTEGER NOT NULL, first_answered_on TEXT, last_answered_on TEXT, completed INTEGER NOT NULL,"
        " overdue_on TEXT, withdrawn TEXT)",
        "CREATE INDEX IF NOT EXISTS channel_items_unit ON channel_items (unit_id, deadline)",
        "CREATE TABLE IF NOT EXISTS channel_matters ("
        " matter_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " category TEXT NOT NULL, title TEXT NOT NULL, department_id TEXT NOT NULL, department_name TEXT NOT NULL,"
        " decided_on TEXT NOT NULL, source TEXT NOT NULL, amount_yuan BIGINT, observation_count INTEGER NOT NULL,"
        " concern_count INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS channel_matters_unit ON channel_matters (unit_id, decided_on)",
        "CREATE TABLE IF NOT EXISTS channel_upward ("
        " upward_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, title TEXT NOT NULL, submitted_on TEXT NOT NULL, reply_count INTEGER NOT NULL,"
        " final_reply_on TEXT)",
        "CREATE TABLE IF NOT EXISTS channel_consultations ("
        " consultation_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL,"
        " distribution TEXT NOT NULL, kind TEXT NOT NULL, held_on TEXT NOT NULL, topics TEXT NOT NULL,"
        " action_count INTEGER NOT NULL, actions_done INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS channel_announcements ("
        " announcement_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL,"
        " distribution TEXT NOT NULL, title TEXT NOT NULL, published_on TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS channel_contacts ("
        " contact_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, meeting_kind TEXT, held_on TEXT NOT NULL, title TEXT NOT NULL, person_ids TEXT NOT NULL,"
        " directive_id TEXT, stage TEXT, observation_count INTEGER NOT NULL, concern_count INTEGER NOT NULL,"
        " matter_count INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS channel_contacts_unit ON channel_contacts (unit_id, held_on)",
        "CREATE TABLE IF NOT EXISTS channel_network_activities ("
        " activity_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, held_on TEXT NOT NULL, title TEXT NOT NULL, participant_ids TEXT NOT NULL,"
        " assignment TEXT)",
    )

    @staticmethod
    def _where(envelope: Envelope) -> tuple[str, str, str]:
        return envelope.group_id or "", envelope.unit_id or "", envelope.distribution

    @handles("units.UnitRegistered")
    def unit_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if envelope.unit_id:
            tx.execute("INSERT INTO channel_units (unit_id, group_id, distribution, name) VALUES (%s, %s, %s, %s)"
                       " ON CONFLICT (unit_id) DO NOTHING",
                       (envelope.unit_id, envelope.group_id or "", envelope.distribution, payload.name))

    # -- feedback deliberation (group-internal) -------------------------------------------------------
    @handles("units.FeedbackDrafted")
    def draft_drafted(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_drafts (draft_id, group_id, unit_id, distribution, title, form, important,"
            " counterpart_id, drafted_by, deadline, drafted_on, revision, status, opinion_count, decision,"
            " issued_item_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, 'draft', 0, NULL, NULL)"
            " ON CONFLICT (draft_id) DO NOTHING",
            (payload.draft_id, *self._where(envelope), payload.title, payload.form, 1 if payload.important else 0,
             payload.counterpart_id, payload.drafted_by, payload.deadline.isoformat(),
             envelope.occurred_at.date().isoformat()),
        )

    def _draft_status(self, tx: Tx, draft_id: str) -> None:
        tx.execute(
            "UPDATE channel_drafts SET opinion_count = (SELECT COUNT(*) FROM channel_draft_opinions o"
            " WHERE o.draft_id = channel_drafts.draft_id) WHERE draft_id = %s", (draft_id,))
        tx.execute(
            "UPDATE channel_drafts SET status = CASE WHEN issued_item_id IS NOT NULL THEN 'issued'"
            " WHEN decision = 'approve' THEN 'approved' WHEN opinion_count >= %s THEN 'deliberated' ELSE 'draft' END"
            " WHERE draft_id = %s", (MIN_FEEDBACK_OPINIONS, draft_id))

    @handles("units.FeedbackOpinionRecorded")
    def draft_opinion(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("INSERT INTO channel_draft_opinions (draft_id, member, stance) VALUES (%s, %s, %s)"
                   " ON CONFLICT (draft_id, member) DO UPDATE SET stance = excluded.stance",
                   (payload.draft_id, payload.member, payload.stance))
        self._draft_status(tx, payload.draft_id)

    @handles("units.FeedbackRevised")
    def draft_revised(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("DELETE FROM channel_draft_opinions WHERE draft_id = %s", (payload.draft_id,))
        tx.execute("UPDATE channel_drafts SET revision = revision + 1, important = %s, decision = NULL"
                   " WHERE draft_id = %s", (1 if payload.important else 0, payload.draft_id))
        self._draft_status(tx, payload.draft_id)

    @handles("units.FeedbackDecided")
    def draft_decided(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_drafts SET decision = %s WHERE draft_id = %s", (payload.decision, payload.draft_id))
        self._draft_status(tx, payload.draft_id)

    @handles("units.FeedbackIssued")
    def draft_issued(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_drafts SET issued_item_id = %s WHERE draft_id = %s",
                   (payload.item_id, payload.draft_id))
        self._draft_status(tx, payload.draft_id)

    # -- items sent to the unit ---------------------------------------------------------------------
    @handles("units.OutboundIssued")
    def item_issued(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_items (item_id, group_id, unit_id, distribution, kind, title, reference_number,"
            " counterpart_id, counterpart_name, level, signed_by, deadline, issued_on, source_ref, status,"
            " delivered_on, acknowledged_on, answer_count, first_answered_on, last_answered_on, completed, overdue_on,"
            " withdrawn) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'issued', NULL, NULL, 0,"
            " NULL, NULL, 0, NULL, NULL) ON CONFLICT (item_id) DO NOTHING",
            (payload.item_id, *self._where(envelope), payload.kind, payload.title, payload.reference_number,
             payload.counterpart_id, payload.counterpart_name, payload.level, payload.signed_by,
             payload.deadline.isoformat(), payload.issued_on.isoformat(), payload.source_ref),
        )

    def _item(self, tx: Tx, item_id: str, assignments: str, params: tuple[Any, ...]) -> None:
        tx.execute(f"UPDATE channel_items SET {assignments} WHERE item_id = %s", (*params, item_id))
        tx.execute(
            "UPDATE channel_items SET status = CASE WHEN withdrawn IS NOT NULL THEN 'withdrawn'"
            " WHEN completed = 1 THEN 'completed' WHEN answer_count > 0 THEN 'answered'"
            " WHEN acknowledged_on IS NOT NULL THEN 'acknowledged' WHEN delivered_on IS NOT NULL THEN 'delivered'"
            " ELSE 'issued' END WHERE item_id = %s", (item_id,))

    @handles("units.OutboundDelivered")
    def item_delivered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._item(tx, payload.item_id, "delivered_on = %s", (payload.delivered_on.isoformat(),))

    @handles("units.OutboundAcknowledged")
    def item_acknowledged(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._item(tx, payload.item_id, "acknowledged_on = %s, delivered_on = COALESCE(delivered_on, %s)",
                   (payload.acknowledged_on.isoformat(), payload.acknowledged_on.isoformat()))

    @handles("units.OutboundAnswered")
    def item_answered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        day = payload.answered_on.isoformat()
        self._item(tx, payload.item_id, "answer_count = answer_count + 1, last_answered_on = %s,"
                   " first_answered_on = COALESCE(first_answered_on, %s),"
                   " completed = CASE WHEN %s = 1 THEN 1 ELSE completed END",
                   (day, day, 1 if payload.completed else 0))

    @handles("units.OutboundOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._item(tx, payload.item_id, "overdue_on = %s", (payload.detected_on.isoformat(),))

    @handles("units.OutboundWithdrawn")
    def item_withdrawn(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._item(tx, payload.item_id, "withdrawn = %s", (payload.reason,))

    # -- power operation ----------------------------------------------------------------------------
    @handles("units.PowerMatterRegistered")
    def matter_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_matters (matter_id, group_id, unit_id, distribution, category, title,"
            " department_id, department_name, decided_on, source, amount_yuan, observation_count, concern_count)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0) ON CONFLICT (matter_id) DO NOTHING",
            (payload.matter_id, *self._where(envelope), payload.category, payload.title, payload.department_id,
             payload.department_name, payload.decided_on.isoformat(), payload.source, payload.amount_yuan),
        )

    @handles("units.PowerObservationRecorded")
    def matter_observed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_matters SET observation_count = observation_count + 1,"
                   " concern_count = concern_count + %s WHERE matter_id = %s",
                   (1 if payload.concern else 0, payload.matter_id))

    # -- upward, consultations, announcements -------------------------------------------------------
    @handles("units.UpwardSubmitted")
    def upward_submitted(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_upward (upward_id, group_id, unit_id, distribution, kind, title, submitted_on,"
            " reply_count, final_reply_on) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, NULL)"
            " ON CONFLICT (upward_id) DO NOTHING",
            (payload.submission_id, envelope.group_id or "", envelope.unit_id, envelope.distribution, payload.kind,
             payload.title, payload.submitted_on.isoformat()),
        )

    @handles("units.UpwardReplied")
    def upward_replied(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_upward SET reply_count = reply_count + 1,"
                   " final_reply_on = CASE WHEN %s = 1 THEN %s ELSE final_reply_on END WHERE upward_id = %s",
                   (1 if payload.final else 0, payload.replied_on.isoformat(), payload.submission_id))

    @handles("units.ConsultationHeld")
    def consultation_held(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_consultations (consultation_id, group_id, unit_id, distribution, kind, held_on,"
            " topics, action_count, actions_done) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0)"
            " ON CONFLICT (consultation_id) DO NOTHING",
            (payload.consultation_id, *self._where(envelope), payload.kind, payload.held_on.isoformat(),
             json.dumps(list(payload.topics), ensure_ascii=False), payload.action_count),
        )

    @handles("units.ConsultationActionCompleted")
    def consultation_action_done(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_consultations SET actions_done = actions_done + 1 WHERE consultation_id = %s",
                   (payload.consultation_id,))

    @handles("units.JointSupervisionAnnounced")
    def announced(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_announcements (announcement_id, group_id, unit_id, distribution, title,"
            " published_on) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (announcement_id) DO NOTHING",
            (payload.announcement_id, *self._where(envelope), payload.title, payload.published_on.isoformat()),
        )

    # -- meeting supervision and the three-level network ------------------------------------------------
    @handles("units.LeadershipContactRecorded")
    def contact_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_contacts (contact_id, group_id, unit_id, distribution, kind, meeting_kind, held_on,"
            " title, person_ids, directive_id, stage, observation_count, concern_count, matter_count)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, 0) ON CONFLICT (contact_id) DO NOTHING",
            (payload.contact_id, *self._where(envelope), payload.kind, payload.meeting_kind,
             payload.held_on.isoformat(), payload.title, json.dumps(list(payload.person_ids)), payload.directive_id,
             payload.stage, 1 if payload.concern else 0),
        )

    @handles("units.LeadershipContactObserved")
    def contact_observed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_contacts SET observation_count = observation_count + 1,"
                   " concern_count = concern_count + %s WHERE contact_id = %s",
                   (1 if payload.concern else 0, payload.contact_id))

    @handles("units.MeetingMatterLinked")
    def meeting_matter_linked(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE channel_contacts SET matter_count = matter_count + 1 WHERE contact_id = %s",
                   (payload.contact_id,))

    @handles("units.NetworkActivityRecorded")
    def network_activity_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO channel_network_activities (activity_id, group_id, unit_id, distribution, kind, held_on,"
            " title, participant_ids, assignment) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (activity_id) DO NOTHING",
            (payload.activity_id, *self._where(envelope), payload.kind, payload.held_on.isoformat(), payload.title,
             json.dumps(list(payload.participant_ids)), payload.assignment),
        )
