"""People read model: integrity files (廉政档案), person↔matter (以事看人，以人看事), and what the political
portrait (政治画像) and the quarterly statistics (组务会季度专题研究) count.

Only published facts are kept (every row with the group, unit and distribution of its envelope, so the
authoriser decides in the query). Of clues it keeps what the figures need (`people_clues`: unit, date of
receipt, key-person flag, four forms; distribution `compartment:<clue_id>`, with `people_clue_compartments`),
so the portrait and the quarterly statistics count them through `authz.counts.count_filter` from this read
model alone (one projection, one set of positions in the answer's freshness). A clue's subject is never on the bus, so a cadre's disciplinary conclusions (违规违纪问题的处理结论) are not
in this read model: they stay in the clues service, read by id by the compartment (each read recorded).

Seed lines behind each table (seeds/000_…, 002_…):
- `people_records`: 000 "加强干部廉政档案建设。将党员干部廉洁从政情况、行使权力情况、民主评议结果、年度述责述廉报告、
  …、廉政意见回函等体现在廉政档案中" — posts taken and left, democratic evaluations, duty-and-integrity reports,
  integrity-opinion replies.
- `people_posts` + `people_matters`: 002 "建立‘以事看人，以人看事’的双向监督机制" and 000 "围绕重大事项决策、重要干部任免、
  重要项目安排、大额资金使用等开展监督" — the four lists' items a person owns, and the 三重一大 matters of the
  department a person heads while they head it.
- `portrait_directives`: 002 "首先看态度，看…是否做到第一时间传达学习" and "管好‘一本台账’" — received, relayed.
- `people_matters` (items): 002 "精准发现问题" (problem types), "是否真改实改" (rectification), 000 "限期办结".
- `portrait_outbound`: 000 "及时反馈、督促整改" — feedback and recommendations issued and answered.
- `quarterly_reviews`: 002 "组务会每季度对政治监督情况进行专题研究".
"""

from __future__ import annotations

import json
from typing import Any

from events.envelope import Envelope
from events.units import legacy_person_id
from projections.common.db import Tx
from projections.common.projection import Projection, handles


def _scope(envelope: Envelope) -> tuple[str, str | None, str]:
    return envelope.group_id or "", envelope.unit_id, envelope.distribution


def _day(envelope: Envelope) -> str:
    return envelope.occurred_at.date().isoformat()


def _person(envelope: Envelope, person_id: str, name: str) -> str:
    """The roster's person id of a fact (a fact from before persons had ids: the legacy id of its name)."""
    return person_id or legacy_person_id(envelope.unit_id, name)


class People(Projection):
    name = "people"
    schema_version = 4
    tables = ("people_posts", "people_records", "people_matters", "portrait_directives", "portrait_outbound",
              "quarterly_reviews", "people_clues", "people_clue_compartments", "people_persons", "people_key_persons",
              "people_important", "portrait_findings")
    checksum_order = {"people_posts": "post_id", "people_records": "record_id", "people_matters": "matter_id",
                      "portrait_directives": "directive_id", "portrait_outbound": "item_id",
                      "quarterly_reviews": "review_id", "people_clues": "clue_id",
                      "people_clue_compartments": "compartment, user_id", "people_persons": "person_id",
                      "people_key_persons": "person_id", "people_important": "target, target_id",
                      "portrait_findings": "finding_id"}
    _scope_columns = "group_id TEXT NOT NULL, unit_id TEXT, distribution TEXT NOT NULL"
    ddl = (
        "CREATE TABLE IF NOT EXISTS people_posts (post_id TEXT PRIMARY KEY, person_id TEXT NOT NULL,"
        " person TEXT NOT NULL, post_kind TEXT NOT NULL, title TEXT NOT NULL, department_id TEXT NOT NULL,"
        f" since TEXT NOT NULL, left_on TEXT, key_minority INTEGER NOT NULL DEFAULT 0, {_scope_columns})",
        "CREATE INDEX IF NOT EXISTS people_posts_person ON people_posts (person_id)",
        "CREATE TABLE IF NOT EXISTS people_records (record_id TEXT PRIMARY KEY, person_id TEXT NOT NULL,"
        " person TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER, on_date TEXT NOT NULL, detail TEXT NOT NULL,"
        f" {_scope_columns})",
        "CREATE INDEX IF NOT EXISTS people_records_person ON people_records (person_id, on_date)",
        "CREATE TABLE IF NOT EXISTS people_persons (person_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
        f" first_seen TEXT NOT NULL, {_scope_columns}, first_position BIGINT NOT NULL,"
        " last_position BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS people_persons_unit ON people_persons (unit_id, name)",
        "CREATE TABLE IF NOT EXISTS people_key_persons (person_id TEXT PRIMARY KEY, since TEXT NOT NULL,"
        f" {_scope_columns})",
        "CREATE TABLE IF NOT EXISTS people_important (target TEXT NOT NULL, target_id TEXT NOT NULL,"
        f" fields TEXT NOT NULL, {_scope_columns}, PRIMARY KEY (target, target_id))",
        "CREATE TABLE IF NOT EXISTS portrait_findings (finding_id TEXT PRIMARY KEY, source TEXT NOT NULL,"
        " on_date TEXT NOT NULL, problem_type TEXT, reopened INTEGER NOT NULL DEFAULT 0,"
        f" {_scope_columns})",
        "CREATE INDEX IF NOT EXISTS portrait_findings_unit ON portrait_findings (unit_id, on_date)",
        "CREATE TABLE IF NOT EXISTS people_matters (matter_id TEXT PRIMARY KEY, matter_kind TEXT NOT NULL,"
        " title TEXT NOT NULL, owner TEXT, owner_person_id TEXT, department_id TEXT, directive_id TEXT, list_kind TEXT,"
        " problem_type TEXT, category TEXT, status TEXT NOT NULL, opened_on TEXT NOT NULL, closed_on TEXT,"
        f" due_on TEXT, overdue INTEGER NOT NULL DEFAULT 0, {_scope_columns})",
        "CREATE INDEX IF NOT EXISTS people_matters_owner ON people_matters (owner)",
        "CREATE INDEX IF NOT EXISTS people_matters_owner_person ON people_matters (owner_person_id)",
        "CREATE INDEX IF NOT EXISTS people_matters_unit ON people_matters (unit_id, opened_on)",
        "CREATE TABLE IF NOT EXISTS portrait_directives (directive_id TEXT PRIMARY KEY, received_on TEXT NOT NULL,"
        f" relayed_on TEXT, withdrawn INTEGER NOT NULL DEFAULT 0, {_scope_columns})",
        "CREATE TABLE IF NOT EXISTS portrait_outbound (item_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
        " issued_on TEXT NOT NULL, deadline TEXT NOT NULL, answered_on TEXT, overdue INTEGER NOT NULL DEFAULT 0,"
        f" withdrawn INTEGER NOT NULL DEFAULT 0, {_scope_columns})",
        "CREATE TABLE IF NOT EXISTS quarterly_reviews (review_id TEXT PRIMARY KEY, quarter TEXT NOT NULL,"
        " meeting_on TEXT NOT NULL, topics INTEGER NOT NULL, decisions INTEGER NOT NULL,"
        f" follow_ups INTEGER NOT NULL, {_scope_columns})",
        "CREATE TABLE IF NOT EXISTS people_clues (clue_id TEXT PRIMARY KEY, received_on TEXT NOT NULL,"
        f" key_person INTEGER NOT NULL, four_forms INTEGER, {_scope_columns})",
        "CREATE INDEX IF NOT EXISTS people_clues_unit ON people_clues (unit_id, received_on)",
        "CREATE TABLE IF NOT EXISTS people_clue_compartments (compartment TEXT NOT NULL, user_id TEXT NOT NULL,"
        " PRIMARY KEY (compartment, user_id))",
    )

    # -- integrity files -----------------------------------------------------------------------------
    def _record(self, tx: Tx, envelope: Envelope, person_id: str, person: str, kind: str, year: int | None,
                on_date: str, detail: dict[str, Any]) -> None:
        tx.execute(
            "INSERT INTO people_records (record_id, person_id, person, kind, year, on_date, detail, group_id,"
            " unit_id, distribution) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (record_id) DO NOTHING",
            (envelope.event_id, _person(envelope, person_id, person), person, kind, year, on_date,
             json.dumps(detail, ensure_ascii=False, sort_keys=True), *_scope(envelope)),
        )

    @staticmethod
    def _known(tx: Tx, envelope: Envelope, person_id: str, name: str, on_date: str) -> None:
        """A person of a unit's roster (or a cadre a unit reported) enters the directory once: the date and
        scope of the earliest fact about them, the name of the newest. Earliest and newest by the units service's
        position (every fact here is one of its events), not by arrival: the facts come from different streams,
        which a partitioned topic delivers in any order."""
        earlier = "excluded.first_position < people_persons.first_position"
        tx.execute(
            "INSERT INTO people_persons (person_id, name, first_seen, group_id, unit_id, distribution,"
            " first_position, last_position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (person_id)"
            " DO UPDATE SET name = CASE WHEN excluded.last_position > people_persons.last_position"
            " THEN excluded.name ELSE people_persons.name END, "
            + ", ".join(f"{c} = CASE WHEN {earlier} THEN excluded.{c} ELSE people_persons.{c} END"
                        for c in ("first_seen", "group_id", "unit_id", "distribution", "first_position"))
            + ", last_position = CASE WHEN excluded.last_position > people_persons.last_position"
            " THEN excluded.last_position ELSE people_persons.last_position END",
            (_person(envelope, person_id, name), name, on_date, *_scope(envelope), envelope.position,
             envelope.position),
        )

    @handles("units.PersonAppointed")
    def appointed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        person_id = _person(envelope, payload.person_id, payload.person_name)
        tx.execute(
            "INSERT INTO people_posts (post_id, person_id, person, post_kind, title, department_id, since, left_on,"
            " key_minority, group_id, unit_id, distribution) VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s, %s, %s, %s)"
            " ON CONFLICT (post_id) DO UPDATE SET person_id = excluded.person_id, person = excluded.person,"
            " post_kind = excluded.post_kind, title = excluded.title, department_id = excluded.department_id,"
            " since = excluded.since, left_on = NULL, key_minority = excluded.key_minority",
            (payload.post_id, person_id, payload.person_name, payload.post_kind, payload.title, payload.department_id,
             payload.since.isoformat(), int(payload.key_minority), *_scope(envelope)),
        )
        self._known(tx, envelope, person_id, payload.person_name, payload.since.isoformat())
        self._record(tx, envelope, person_id, payload.person_name, "appointed", payload.since.year,
                     payload.since.isoformat(), {"post_kind": payload.post_kind, "title": payload.title,
                                                 "post_id": payload.post_id, "key_minority": payload.key_minority})

    @handles("units.PersonLeftPost")
    def left_post(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE people_posts SET left_on = %s WHERE post_id = %s",
                   (payload.left_on.isoformat(), payload.post_id))
        self._record(tx, envelope, payload.person_id, payload.person_name, "left_post", payload.left_on.year,
                     payload.left_on.isoformat(), {"post_kind": payload.post_kind, "post_id": payload.post_id})

    def _reported(self, tx: Tx, envelope: Envelope, payload: Any, kind: str, year: int,
                  detail: dict[str, Any]) -> None:
        self._known(tx, envelope, payload.person_id, payload.cadre, _day(envelope))
        self._record(tx, envelope, payload.person_id, payload.cadre, kind, year, _day(envelope), detail)

    @handles("units.DemocraticEvaluationReported")
    def evaluation(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._reported(tx, envelope, payload, "democratic_evaluation", payload.year,
                       {"post": payload.post, "grade": payload.grade})

    @handles("units.DutyIntegrityReportSubmitted")
    def duty_report(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._reported(tx, envelope, payload, "duty_integrity_report", payload.year, {"post": payload.post})

    @handles("units.IntegrityOpinionReplied")
    def integrity_opinion(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._reported(tx, envelope, payload, "integrity_opinion", envelope.occurred_at.year,
                       {"opinion": payload.opinion, "request_ref": payload.request_ref,
                        "request_id": payload.request_id})

    # -- supervising people (既监督事也监督人) and integrity-opinion requests ---------------------------------
    @handles("units.IntegrityOpinionRequested")
    def opinion_requested(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._record(tx, envelope, payload.person_id, payload.person_name, "integrity_opinion_requested",
                     payload.requested_on.year, payload.requested_on.isoformat(),
                     {"purpose": payload.purpose, "deadline": payload.deadline.isoformat(),
                      "item_id": payload.item_id, "request_id": payload.request_id})

    @handles("units.LeaderEvaluated")
    def leader_evaluated(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._record(tx, envelope, payload.person_id, payload.person_name, "leader_evaluation",
                     int(payload.period[:4]), payload.evaluated_on.isoformat(),
                     {"period": payload.period, "aspects": payload.aspects, "overall": payload.overall,
                      "observation": payload.observation, "revision": payload.revision,
                      "evaluation_id": payload.evaluation_id})

    @handles("units.KeyPersonFlagged")
    def key_person(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if payload.flagged:
            tx.execute("INSERT INTO people_key_persons (person_id, since, group_id, unit_id, distribution)"
                       " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (person_id) DO UPDATE SET since = excluded.since",
                       (payload.person_id, payload.on.isoformat(), *_scope(envelope)))
        else:
            tx.execute("DELETE FROM people_key_persons WHERE person_id = %s", (payload.person_id,))
        self._record(tx, envelope, payload.person_id, payload.person_name,
                     "key_person_flagged" if payload.flagged else "key_person_unflagged", payload.on.year,
                     payload.on.isoformat(), {})

    @handles("units.ClueOutcomeTied")
    def clue_outcome(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """Distribution `compartment:<clue_id>`: only the clue's compartment reads this entry."""
        self._record(tx, envelope, payload.person_id, payload.person_name, "clue_outcome", payload.tied_on.year,
                     payload.tied_on.isoformat(), {"clue_id": payload.clue_id, "result": payload.result,
                                                   "four_forms": payload.four_forms,
                                                   "disposition": payload.disposition})

    @handles("units.ImportantFieldsSet")
    def important_fields(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("INSERT INTO people_important (target, target_id, fields, group_id, unit_id, distribution)"
                   " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (target, target_id) DO UPDATE SET"
                   " fields = excluded.fields",
                   (payload.target, payload.target_id, json.dumps(sorted(payload.fields)), *_scope(envelope)))

    # -- the unit's findings (inspection, supervision activities, look-backs) for the portrait ---------------
    def _finding(self, tx: Tx, envelope: Envelope, finding_id: str, source: str, problem_type: str | None,
                 reopened: int) -> None:
        tx.execute(
            "INSERT INTO portrait_findings (finding_id, source, on_date, problem_type, reopened, group_id, unit_id,"
            " distribution) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (finding_id) DO NOTHING",
            (finding_id, source, _day(envelope), problem_type, reopened, *_scope(envelope)),
        )

    @handles("inspections.RectificationItemHandedOver")
    def rectification_item(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._finding(tx, envelope, payload.item_id, "inspection" if payload.round_id else "supervision_activity",
                      payload.problem_type, 0)

    @handles("inspections.LookBackCompleted")
    def inspection_look_back(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._finding(tx, envelope, payload.look_back_id, "inspection_look_back", None,
                      len(payload.reopened_item_ids))

    @handles("ledgers.ItemLookBackConfirmed")
    def item_look_back_confirmed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._finding(tx, envelope, envelope.event_id, "ledger_look_back", None, 0)

    # -- matters -----------------------------------------------------------------------------------
    @handles("ledgers.ItemOpened")
    def item_opened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO people_matters (matter_id, matter_kind, title, owner, owner_person_id, department_id,"
            " directive_id, list_kind, problem_type, category, status, opened_on, closed_on, due_on, overdue, group_id,"
            " unit_id, distribution) VALUES (%s, 'item', %s, %s, %s, NULL, %s, %s, %s, NULL, 'open', %s, NULL, %s, 0,"
            " %s, %s, %s) ON CONFLICT (matter_id) DO NOTHING",
            (payload.item_id, payload.title, payload.owner, payload.owner_person_id, payload.directive_id,
             payload.list_kind,
             payload.problem_type, _day(envelope), payload.due_on.isoformat() if payload.due_on else None,
             *_scope(envelope)),
        )

    @handles("ledgers.ItemOverdue")
    def item_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE people_matters SET overdue = 1 WHERE matter_id = %s", (payload.item_id,))

    @handles("ledgers.ItemClosed")
    def item_closed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE people_matters SET status = 'closed', closed_on = %s WHERE matter_id = %s",
                   (payload.closed_on.isoformat(), payload.item_id))

    @handles("ledgers.ItemReopened")
    def item_reopened(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._finding(tx, envelope, envelope.event_id, "ledger_look_back", None, 1)  # only a look-back reopens
        tx.execute("UPDATE people_matters SET status = 'open', closed_on = NULL, due_on = COALESCE(%s, due_on)"
                   " WHERE matter_id = %s",
                   (payload.due_on.isoformat() if payload.due_on else None, payload.item_id))

    @handles("units.PowerMatterRegistered")
    def power_matter(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO people_matters (matter_id, matter_kind, title, owner, owner_person_id, department_id,"
            " directive_id, list_kind, problem_type, category, status, opened_on, closed_on, due_on, overdue, group_id,"
            " unit_id, distribution) VALUES (%s, 'power_matter', %s, NULL, NULL, %s, NULL, NULL, NULL, %s, 'decided', %s, NULL,"
            " NULL, 0, %s, %s, %s) ON CONFLICT (matter_id) DO NOTHING",
            (payload.matter_id, payload.title, payload.department_id, payload.category,
             payload.decided_on.isoformat(), *_scope(envelope)),
        )

    # -- portrait: directives and outbound items -----------------------------------------------------
    @handles("ledgers.DirectiveRegistered")
    def directive_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO portrait_directives (directive_id, received_on, relayed_on, withdrawn, group_id, unit_id,"
            " distribution) VALUES (%s, %s, NULL, 0, %s, %s, %s) ON CONFLICT (directive_id) DO NOTHING",
            (payload.directive_id, payload.received_on.isoformat(), *_scope(envelope)),
        )

    @handles("ledgers.DirectiveAmended")
    def directive_amended(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        received = payload.changes.get("received_on")
        if isinstance(received, str):
            tx.execute("UPDATE portrait_directives SET received_on = %s WHERE directive_id = %s",
                       (received, payload.directive_id))

    @handles("ledgers.DirectiveWithdrawn")
    def directive_withdrawn(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE portrait_directives SET withdrawn = 1 WHERE directive_id = %s", (payload.directive_id,))

    @handles("ledgers.DirectiveStageRecorded")
    def stage_recorded(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        if payload.stage == "relay_study" and not payload.skipped_with_reason:
            tx.execute("UPDATE portrait_directives SET relayed_on = %s WHERE directive_id = %s",
                       (payload.done_on.isoformat(), payload.directive_id))

    @handles("units.OutboundIssued")
    def outbound_issued(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO portrait_outbound (item_id, kind, issued_on, deadline, answered_on, overdue, withdrawn,"
            " group_id, unit_id, distribution) VALUES (%s, %s, %s, %s, NULL, 0, 0, %s, %s, %s)"
            " ON CONFLICT (item_id) DO NOTHING",
            (payload.item_id, payload.kind, payload.issued_on.isoformat(), payload.deadline.isoformat(),
             *_scope(envelope)),
        )

    @handles("units.OutboundAnswered")
    def outbound_answered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE portrait_outbound SET answered_on = COALESCE(answered_on, %s) WHERE item_id = %s",
                   (payload.answered_on.isoformat(), payload.item_id))

    @handles("units.OutboundOverdue")
    def outbound_overdue(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE portrait_outbound SET overdue = 1 WHERE item_id = %s", (payload.item_id,))

    @handles("units.OutboundWithdrawn")
    def outbound_withdrawn(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute("UPDATE portrait_outbound SET withdrawn = 1 WHERE item_id = %s", (payload.item_id,))

    # -- quarterly review --------------------------------------------------------------------------
    @handles("ledgers.QuarterlyReviewHeld")
    def quarterly_review(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO quarterly_reviews (review_id, quarter, meeting_on, topics, decisions, follow_ups, group_id,"
            " unit_id, distribution) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (review_id) DO NOTHING",
            (payload.review_id, payload.quarter, payload.meeting_on.isoformat(), len(payload.topics),
             len(payload.decisions), len(payload.follow_ups), *_scope(envelope)),
        )

    # -- clues: what the figures count (no content ever reaches the bus) -----------------------------------
    @staticmethod
    def _members(tx: Tx, clue_id: str, added: list[str], removed: list[str]) -> None:
        for user in added:
            tx.execute("INSERT INTO people_clue_compartments (compartment, user_id) VALUES (%s, %s)"
                       " ON CONFLICT DO NOTHING", (f"compartment:{clue_id}", user))
        for user in removed:
            tx.execute("DELETE FROM people_clue_compartments WHERE compartment = %s AND user_id = %s",
                       (f"compartment:{clue_id}", user))

    @handles("clues.ClueRegistered")
    def clue_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        tx.execute(
            "INSERT INTO people_clues (clue_id, received_on, key_person, four_forms, group_id, unit_id, distribution)"
            " VALUES (%s, %s, %s, NULL, %s, %s, %s) ON CONFLICT (clue_id) DO NOTHING",
            (payload.clue_id, payload.received_on.isoformat(), int(payload.key_person), envelope.group_id or "",
             envelope.unit_id, f"compartment:{payload.clue_id}"),
        )
        self._members(tx, payload.clue_id, payload.compartment, [])

    @handles("clues.ClueCompartmentChanged")
    def clue_compartment(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._members(tx, payload.clue_id, payload.added, payload.removed)

    @handles("clues.ClueStatusChanged")
    def clue_status(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        self._members(tx, payload.clue_id, payload.compartment_added, [])
        if payload.step == "reopened":
            tx.execute("UPDATE people_clues SET four_forms = NULL WHERE clue_id = %s", (payload.clue_id,))
        elif payload.result is not None:
            tx.execute("UPDATE people_clues SET four_forms = %s WHERE clue_id = %s",
                       (payload.four_forms, payload.clue_id))
