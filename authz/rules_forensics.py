"""Who may replay a record's history (forensic replay, evidence).

The auditor anywhere, the clue's compartment included; a group member the records of their own group, and a
clue only from inside its compartment. Everyone else — HQ, units, inspection teams, a group member outside a
compartment — gets the 404 a missing record gets. Anyone may ask (`forensics.replay` admits every role): the
decision is made by the service on the record itself, so that every refusal is recorded like every use.
"""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, TEAM_ROLES, UNIT_ROLES, Principal, Scope, in_scope, rule

rule("forensics.replay", GROUP_ROLES | AUDIT_ROLES | HQ_ROLES | UNIT_ROLES | TEAM_ROLES, scope="any",
     description="ask for a replay: the service decides on the record (can_replay) and records the use")
rule("forensics.history", GROUP_ROLES | AUDIT_ROLES | HQ_ROLES | UNIT_ROLES | TEAM_ROLES, scope="any",
     description="ask for a case history across the services: the owner decides (can_replay) and records the use; "
                 "events of records the caller may not read are left out")
rule("forensics.evidence_export", GROUP_ROLES | AUDIT_ROLES | HQ_ROLES | UNIT_ROLES | TEAM_ROLES, scope="any",
     description="ask for an evidence bundle: the owner decides (can_export: the auditor only) and records the use")


def can_replay(principal: Principal, scope: Scope | None) -> bool:
    """May this principal replay a record with this scope? (None: an internal record nobody replays.)"""
    if scope is None:
        return False
    if principal.has_any(AUDIT_ROLES):
        return True
    if not principal.has_any(GROUP_ROLES) or principal.org_kind != "group":
        return False
    if scope.compartment is not None and principal.user_id not in scope.compartment:
        return False
    return scope.group_id is not None and in_scope(principal, scope)


def can_export(principal: Principal, scope: Scope | None) -> bool:
    """May this principal export a record's evidence bundle? The auditor only: a bundle holds the plain fields the
    hashes cover (a clue's content too, of the clue and of any clue in the case's correlation), and the auditor is
    the one role that may read every compartment."""
    return scope is not None and principal.has_any(AUDIT_ROLES)
