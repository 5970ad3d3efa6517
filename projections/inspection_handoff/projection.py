"""Inspection-handoff read model: the unit-level history the briefing packages are folded from.

It keeps every integration event of the ledgers, clues, units and inspections services that names a
unit, as published (canonical JSON), so a package can be rebuilt later from the same positions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta, timezone
from typing import Any

from events.catalog import load_all
from events.envelope import Envelope
from events.registry import contracts
from projections.common.db import Tx
from projections.common.projection import Projection, handles
from projections.inspection_handoff.package import SOURCE_SERVICES

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


ROUND_DISTRIBUTION = "inspection:"


class InspectionHandoff(Projection):
    """Besides the history (`handoff_events`), the handoff's lists: rounds with their members and frozen
    packages, rectification items with their progress, supervision activities. Each list folds the
    inspections service's events in that service's order: a rebuild gives the same checksum."""

    name = "inspection_handoff"
    schema_version = 3
    """3: activities keep the directive and stage they supervised (issue #15)."""
    tables = ("handoff_events", "handoff_rounds", "handoff_round_members", "handoff_packages", "handoff_items",
              "handoff_activities")
    checksum_order = {"handoff_events": "service, position", "handoff_rounds": "round_id",
                      "handoff_round_members": "round_id, user_id", "handoff_packages": "package_id",
                      "handoff_items": "item_id", "handoff_activities": "activity_id"}
    ddl = (
        "CREATE TABLE IF NOT EXISTS handoff_events ("
        " service TEXT NOT NULL, position BIGINT NOT NULL, event_type TEXT NOT NULL,"
        " group_id TEXT, unit_id TEXT NOT NULL, distribution TEXT NOT NULL, stream_id TEXT NOT NULL,"
        " occurred_at TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (service, position))",
        "CREATE INDEX IF NOT EXISTS handoff_events_unit ON handoff_events (unit_id, service, position)",
        "CREATE TABLE IF NOT EXISTS handoff_rounds ("
        " round_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " title TEXT NOT NULL, team_id TEXT NOT NULL, status TEXT NOT NULL, before_start TEXT NOT NULL,"
        " before_end TEXT NOT NULL, during_start TEXT NOT NULL, during_end TEXT NOT NULL,"
        " after_start TEXT NOT NULL, after_end TEXT NOT NULL, recorded_at TEXT NOT NULL, opened_at TEXT,"
        " closed_at TEXT)",
        "CREATE TABLE IF NOT EXISTS handoff_round_members ("
        " round_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (round_id, user_id))",
        "CREATE TABLE IF NOT EXISTS handoff_packages ("
        " package_id TEXT PRIMARY KEY, round_id TEXT NOT NULL, positions TEXT NOT NULL,"
        " content_hash TEXT NOT NULL, frozen_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS handoff_items ("
        " item_id TEXT PRIMARY KEY, round_id TEXT, activity_id TEXT, group_id TEXT NOT NULL,"
        " unit_id TEXT NOT NULL, distribution TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
        " problem_type TEXT NOT NULL, responsible_department TEXT NOT NULL, deadline TEXT NOT NULL, handed_over_on TEXT NOT NULL,"
        " completed INTEGER NOT NULL, completed_on TEXT, overdue INTEGER NOT NULL, progress_count INTEGER NOT NULL,"
        " last_progress_on TEXT)",
        "CREATE INDEX IF NOT EXISTS handoff_items_unit ON handoff_items (unit_id, deadline)",
        "CREATE TABLE IF NOT EXISTS handoff_activities ("
        " activity_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, unit_id TEXT NOT NULL, distribution TEXT NOT NULL,"
        " kind TEXT NOT NULL, title TEXT NOT NULL, methods TEXT NOT NULL, start_on TEXT NOT NULL,"
        " end_on TEXT NOT NULL, leader_id TEXT, status TEXT NOT NULL, started_on TEXT, completed_on TEXT,"
        " work_count INTEGER NOT NULL, last_work_on TEXT, finding_count INTEGER NOT NULL, directive_id TEXT,"
        " stage TEXT)",
        "CREATE INDEX IF NOT EXISTS handoff_activities_directive ON handoff_activities (directive_id, start_on)",
    )

    def __init__(self) -> None:
        super().__init__()
        load_all()
        lists = dict(self._handlers)
        for type_name, _version in contracts():
            if type_name.partition(".")[0] in SOURCE_SERVICES:
                self._handlers[type_name] = self._both(lists[type_name]) if type_name in lists else self.keep

    def _both(self, handler: Callable[[Tx, Envelope, Any], None]) -> Callable[[Tx, Envelope, Any], None]:
        def both(tx: Tx, envelope: Envelope, payload: Any) -> None:
            self.keep(tx, envelope, payload)
            handler(tx, envelope, payload)

        return both

    def keep(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if not envelope.unit_id:
            return
        tx.execute(
            "INSERT INTO handoff_events (service, position, event_type, group_id, unit_id, distribution,"
            " stream_id, occurred_at, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (service, position) DO NOTHING",
            (
                envelope.service, envelope.position, envelope.type, envelope.group_id, envelope.unit_id,
                envelope.distribution, envelope.stream_id, envelope.occurred_at.isoformat(),
                envelope.to_bytes().decode("utf-8"),
            ),
        )

    # -- rounds, their members and frozen packages ----------------------------------------------
    @handles("inspections.RoundRecorded")
    def round_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO handoff_rounds (round_id, group_id, unit_id, distribution, title, team_id, status,"
            " before_start, before_end, during_start, during_end, after_start, after_end, recorded_at, opened_at,"
            " closed_at) VALUES (%s, %s, %s, %s, %s, %s, 'planned', %s, %s, %s, %s, %s, %s, %s, NULL, NULL)"
            " ON CONFLICT (round_id) DO NOTHING",
            (payload.round_id, envelope.group_id or "", envelope.unit_id or "", ROUND_DISTRIBUTION + payload.round_id,
             payload.title, payload.team_id, payload.before_start.isoformat(), payload.before_end.isoformat(),
             payload.during_start.isoformat(), payload.during_end.isoformat(), payload.after_start.isoformat(),
             payload.after_end.isoformat(), envelope.occurred_at.isoformat()),
        )
        self._members(tx, payload.round_id, payload.member_ids)

    def _members(self, tx: Tx, round_id: str, member_ids: list[str]) -> None:
        tx.execute("DELETE FROM handoff_round_members WHERE round_id = %s", (round_id,))
        for user_id in sorted(set(member_ids)):
            tx.execute("INSERT INTO handoff_round_members (round_id, user_id) VALUES (%s, %s)", (round_id, user_id))

    @handles("inspections.RoundMembersChanged")
    def members_changed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._members(tx, payload.round_id, payload.member_ids)

    @handles("inspections.RoundOpened")
    def round_opened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_rounds SET status = 'open', opened_at = %s WHERE round_id = %s",
                   (envelope.occurred_at.isoformat(), payload.round_id))

    @handles("inspections.RoundClosed")
    def round_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_rounds SET status = 'closed', closed_at = %s WHERE round_id = %s",
                   (envelope.occurred_at.isoformat(), payload.round_id))

    @handles("inspections.BriefingPackageFrozen")
    def package_frozen(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO handoff_packages (package_id, round_id, positions, content_hash, frozen_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (package_id) DO NOTHING",
            (payload.package_id, payload.round_id, json.dumps(dict(sorted(payload.positions.items()))),
             payload.content_hash, envelope.occurred_at.isoformat()),
        )

    # -- rectification items (巡后) ----------------------------------------------------------------
    @handles("inspections.RectificationItemHandedOver")
    def item_handed_over(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO handoff_items (item_id, round_id, activity_id, group_id, unit_id, distribution, title,"
            " description, problem_type, responsible_department, deadline, handed_over_on, completed, completed_on,"
            " overdue, progress_count, last_progress_on) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0,"
            " NULL, 0, 0, NULL) ON CONFLICT (item_id) DO NOTHING",
            (payload.item_id, payload.round_id, payload.activity_id, envelope.group_id or "", envelope.unit_id or "",
             envelope.distribution, payload.title, payload.description, payload.problem_type, payload.responsible_department,
             payload.deadline.isoformat(), beijing_day(envelope)),
        )

    @handles("inspections.RectificationProgressRecorded")
    def item_progress(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        day = beijing_day(envelope)
        tx.execute(
            "UPDATE handoff_items SET progress_count = progress_count + 1, last_progress_on = %s,"
            " completed = CASE WHEN %s = 1 THEN 1 ELSE completed END,"
            " completed_on = CASE WHEN %s = 1 AND completed_on IS NULL THEN %s ELSE completed_on END"
            " WHERE item_id = %s",
            (day, 1 if payload.completed else 0, 1 if payload.completed else 0, day, payload.item_id),
        )

    @handles("inspections.RectificationItemOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_items SET overdue = 1 WHERE item_id = %s", (payload.item_id,))

    # -- supervision activities ---------------------------------------------------------------------
    @handles("inspections.SupervisionActivityPlanned")
    def activity_planned(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO handoff_activities (activity_id, group_id, unit_id, distribution, kind, title, methods,"
            " start_on, end_on, leader_id, status, started_on, completed_on, work_count, last_work_on, finding_count,"
            " directive_id, stage)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'planned', NULL, NULL, 0, NULL, 0, %s, %s)"
            " ON CONFLICT (activity_id) DO NOTHING",
            (payload.activity_id, envelope.group_id or "", envelope.unit_id or "", envelope.distribution,
             payload.kind, payload.title, json.dumps(list(payload.methods)), payload.start_on.isoformat(),
             payload.end_on.isoformat(), payload.leader_id, payload.directive_id, payload.stage),
        )

    @handles("inspections.SupervisionActivityStarted")
    def activity_started(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_activities SET status = 'under_way', started_on = %s WHERE activity_id = %s",
                   (payload.started_on.isoformat(), payload.activity_id))

    @handles("inspections.SupervisionWorkRecorded")
    def activity_work(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_activities SET work_count = work_count + 1, last_work_on = CASE WHEN"
                   " last_work_on IS NULL OR last_work_on < %s THEN %s ELSE last_work_on END WHERE activity_id = %s",
                   (payload.held_on.isoformat(), payload.held_on.isoformat(), payload.activity_id))

    @handles("inspections.SupervisionFindingRecorded")
    def activity_finding(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_activities SET finding_count = finding_count + 1 WHERE activity_id = %s",
                   (payload.activity_id,))

    @handles("inspections.SupervisionActivityCompleted")
    def activity_completed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE handoff_activities SET status = 'completed', completed_on = %s, finding_count = %s"
                   " WHERE activity_id = %s", (payload.completed_on.isoformat(), payload.findings,
                                               payload.activity_id))


def beijing_day(envelope: Envelope) -> str:
    """The day (Beijing time) an event was recorded."""
    return envelope.occurred_at.astimezone(CHINA).date().isoformat()
