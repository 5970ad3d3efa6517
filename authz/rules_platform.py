"""Permissions of platform-wide reads (dashboards, verification)."""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, TEAM_ROLES, UNIT_ROLES, rule

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

# the working-day calendar: HQ records a year's arrangement from the State Council's notice (the ledgers
# service keeps it and publishes it to the others); everyone who counts deadlines may read it
rule("calendar.record_arrangement", HQ_ROLES, scope="any",
     description="HQ records a year's holidays and make-up working days from the notice")
rule("calendar.read_arrangements", HQ_ROLES | AUDIT_ROLES | GROUP_ROLES | TEAM_ROLES | UNIT_ROLES, scope="any",
     description="public information: the years' arrangements and which years are provisional")
