"""Permissions of the clues service's actions.

Every action on an existing clue is also guarded by the clue's compartment (`compartment=members`,
`hide=True`): outside it, the clue does not exist (404). Leader-only actions need the group leader's role
and membership. HQ reads statistics only; the unit never sees a clue, except the parts explicitly shared
with invited discipline-committee users for joint screening.
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
rule("clues.issue_recommendation", LEADER)
rule("clues.close_recommendation", LEADER)
rule("clues.record_recommendation_response", GROUP_ROLES)
rule("clues.list_recommendations", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES, scope="any",
     description="rows filtered by can_read")
rule("clues.read_recommendation", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES,
     description="the group while drafted; once issued also HQ and the unit addressed")


def may_join_compartment(user_id: str, group_id: str) -> bool:
    """Who may be put in a clue's compartment: members of the clue's group, HQ staff and auditors.

    Never a unit user, never another group or an inspection team (they get parts through their own
    channels: joint screening, referrals).
    """
    from gateway.accounts import ACCOUNTS, ORGS

    account = ACCOUNTS.get(user_id)
    if account is None:
        return False
    org = ORGS.get(account.org_id)
    if org is None:
        return False
    if org.kind == "group":
        return org.org_id == group_id and bool(set(account.roles) & GROUP_ROLES)
    return org.kind in ("hq", "audit")


def joint_screening_users_allowed(user_ids: list[str], unit_id: str) -> bool:
    """Joint screening goes to the unit's own discipline-committee users only."""
    from gateway.accounts import ACCOUNTS

    return all(
        (account := ACCOUNTS.get(u)) is not None and account.org_id == unit_id
        and bool(set(account.roles) & {"unit_liaison"})
        for u in user_ids
    )


def group_leader_of(group_id: str) -> str | None:
    from gateway.accounts import ACCOUNTS

    return next((a.user_id for a in ACCOUNTS.values() if a.org_id == group_id and "group_leader" in a.roles), None)
