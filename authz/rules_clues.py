"""Permissions of the clues service's actions.

Every action on an existing clue is decided by the service on the clue's compartment
(`Clue.access_scope`): outside it, or without the action's role, the clue does not exist (404, the answer a
missing clue gets). Leader-only actions need the group leader's role and membership. HQ reads statistics
only; the unit never sees a clue, except the parts explicitly shared with invited discipline-committee users
for joint screening. A recommendation is guarded by `clues.read_recommendation` (404), then by the action
(403).
"""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, UNIT_ROLES, rule

LEADER = frozenset({"group_leader"})

rule("clues.register", GROUP_ROLES, description="group members register clues for a unit they supervise")
rule("clues.list", GROUP_ROLES, description="a member lists the clues whose compartment includes them")
rule("clues.intake_queue", LEADER | {"group_deputy"}, description="referred clues awaiting the leader")
rule("clues.accept_referral", LEADER)
rule("clues.read", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES,
     description="compartment members read (every read recorded); HQ and auditors only once added to it")
rule("clues.work", GROUP_ROLES, description="compartment members: notes, screening, proposals, execution")
rule("clues.decide", LEADER, description="disposition, conclusion, reopening: decided by the group leader")
rule("clues.manage_compartment", LEADER)
rule("clues.joint_screening", LEADER, description="share in part with the unit's discipline committee")
rule("clues.read_joint_screening", UNIT_ROLES, description="only invited users, only while it is open")
rule("clues.list_disclosures", LEADER | AUDIT_ROLES, description="the group leader and the auditor")
rule("clues.statistics", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES, scope="any",
     description="counts only; a group sees its own, HQ all; never a unit")
rule("clues.record_overdue", LEADER | HQ_ROLES, scope="any", description="the overdue scheduler")

rule("clues.draft_recommendation", GROUP_ROLES)
rule("clues.issue_recommendation", LEADER, reads="clues.read_recommendation")
rule("clues.close_recommendation", LEADER, reads="clues.read_recommendation")
rule("clues.record_recommendation_response", GROUP_ROLES, reads="clues.read_recommendation")
rule("clues.list_recommendations", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES, scope="any",
     description="rows filtered by can_read")
rule("clues.read_recommendation", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES,
     description="the group while drafted; once issued also HQ and the unit addressed")


def group_leader_of(group_id: str) -> str | None:
    """The group's leader account: always in the compartment of a clue the group registers."""
    from gateway.accounts import ACCOUNTS

    return next((a.user_id for a in ACCOUNTS.values() if a.org_id == group_id and "group_leader" in a.roles), None)
