"""Permissions of platform-wide reads (dashboards, verification)."""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, rule

rule("hq_dashboard.read", HQ_ROLES | AUDIT_ROLES | GROUP_ROLES, scope="any",
     description="HQ sees every group; a group sees its own rows (filtered by can_read)")

rule("hq.clue_figures", HQ_ROLES | AUDIT_ROLES, scope="any",
     description="clue figures of every group: numbers only, no ids, no titles (authz.counts)")
rule("people.read", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES, scope="any",
     description="integrity files and person-matter views: rows filtered by can_read; clue figures by "
                 "authz.counts; never a unit (its own cadres' clue figures) nor an inspection team")
rule("units.portrait", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES,
     description="political portrait of a unit: its group (for the units it supervises), HQ and audit; never "
                 "the unit itself (the portrait carries clue figures about its cadres)")
rule("people.quarterly", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES, scope="any",
     description="quarterly statistics of a group for its quarterly review: the group its own, HQ and audit any")
