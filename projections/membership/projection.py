"""Membership read model: organisations (a group and the units it supervises, teams, HQ, audit) and their
active members with roles, built from the units roster and the account events. The gateway builds principals
from it; authorisation reads the group leader and the directory of people from it."""

from __future__ import annotations

import json
from typing import Any

from events.envelope import Envelope
from projections.common.db import Tx
from projections.common.projection import Projection, handles

GENERATION_DDL = ("CREATE TABLE IF NOT EXISTS membership_generation (one INTEGER PRIMARY KEY CHECK (one = 1),"
                  " generation BIGINT NOT NULL)")
"""One row: a number raised in every transaction that changes the read model (in the same transaction, so a
reader sees it move exactly when the change is committed). Not one of `tables`: it is no content (a rebuild
numbers differently) and outlives a rebuild, so it never goes back."""


def _changed(tx: Tx) -> None:
    tx.execute("INSERT INTO membership_generation (one, generation) VALUES (1, 1) ON CONFLICT (one)"
               " DO UPDATE SET generation = membership_generation.generation + 1")


class Membership(Projection):
    name = "membership"
    tables = ("membership_orgs", "membership_supervision", "membership_members")
    checksum_order = {
        "membership_orgs": "org_id",
        "membership_supervision": "group_id, unit_id",
        "membership_members": "org_id, user_id",
    }
    ddl = (
        "CREATE TABLE IF NOT EXISTS membership_orgs ("
        " org_id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT NOT NULL,"
        " registered INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS membership_supervision ("
        " group_id TEXT NOT NULL, unit_id TEXT NOT NULL, PRIMARY KEY (group_id, unit_id))",
        "CREATE TABLE IF NOT EXISTS membership_members ("
        " org_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL, roles TEXT NOT NULL,"
        " PRIMARY KEY (org_id, user_id))",
        "CREATE INDEX IF NOT EXISTS membership_members_user ON membership_members (user_id)",
        GENERATION_DDL,
    )
    schema_version = 2
    """2: the generation (membership_generation) a gateway process caches memberships under"""

    def drop(self, tx: Tx) -> None:
        # the generation is never dropped (a number that went back could name a state cached earlier): the
        # emptied read model is one more change
        super().drop(tx)
        tx.execute(GENERATION_DDL)
        _changed(tx)

    @handles("units.OrganisationRegistered")
    def organisation_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        _changed(tx)
        # an explicit registration names the organisation over what the roster said (registered = 1)
        tx.execute(
            "INSERT INTO membership_orgs (org_id, kind, name, name_en, registered) VALUES (%s, %s, %s, %s, 1)"
            " ON CONFLICT (org_id) DO UPDATE SET kind = excluded.kind, name = excluded.name,"
            " name_en = excluded.name_en, registered = 1",
            (payload.org_id, payload.kind, payload.name, payload.name_en),
        )
        if payload.kind == "unit" and payload.supervised_by:
            self._supervises(tx, payload.supervised_by, payload.org_id)

    @handles("units.UnitRegistered")
    def unit_registered(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        """The roster: a unit a group registered is an organisation that group supervises."""
        if not envelope.unit_id:
            return
        _changed(tx)
        tx.execute(
            "INSERT INTO membership_orgs (org_id, kind, name, name_en, registered) VALUES (%s, 'unit', %s, '', 0)"
            " ON CONFLICT (org_id) DO NOTHING",
            (envelope.unit_id, payload.name),
        )
        if envelope.group_id:
            self._supervises(tx, envelope.group_id, envelope.unit_id)

    @staticmethod
    def _supervises(tx: Tx, group_id: str, unit_id: str) -> None:
        tx.execute(
            "INSERT INTO membership_supervision (group_id, unit_id) VALUES (%s, %s)"
            " ON CONFLICT (group_id, unit_id) DO NOTHING",
            (group_id, unit_id),
        )

    @handles("units.MemberAdded")
    def member_added(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        _changed(tx)
        tx.execute(
            "INSERT INTO membership_members (org_id, user_id, name, roles) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (org_id, user_id) DO UPDATE SET name = excluded.name, roles = excluded.roles",
            (payload.org_id, payload.user_id, payload.name, json.dumps(sorted(payload.roles))),
        )

    @handles("units.MemberRemoved")
    def member_removed(self, tx: Tx, envelope: Envelope, payload: Any) -> None:
        _changed(tx)
        tx.execute("DELETE FROM membership_members WHERE org_id = %s AND user_id = %s",
                   (payload.org_id, payload.user_id))
