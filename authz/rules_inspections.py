"""Permissions of the inspections service's actions (rounds, briefing packages, activities).

Team members are in scope of a round only while it is open and they are among its members
(`in_scope` with round_id / round_members / round_open); the group for its own rounds; HQ everywhere.
An action on an existing round (or activity) `reads` the round (activity): whoever may not read it gets
the 404 of a missing record, whoever may read it but not act gets 403 (`InspectionRound.access_scope`).
"""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, TEAM_ROLES, UNIT_ROLES, rule

ROUND_READERS = GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | TEAM_ROLES

rule("inspections.record_round", GROUP_ROLES | HQ_ROLES, description="HQ or the group records a round")
rule("inspections.open_round", GROUP_ROLES | HQ_ROLES, reads="inspections.read_round")
rule("inspections.close_round", GROUP_ROLES | HQ_ROLES, reads="inspections.read_round")
rule("inspections.change_round_members", GROUP_ROLES | HQ_ROLES, reads="inspections.read_round")
rule("inspections.read_round", ROUND_READERS)
rule("inspections.list_rounds", ROUND_READERS, scope="any", description="rows filtered by can_read")
rule("inspections.freeze_briefing_package", GROUP_ROLES, description="the group assembles the package",
     reads="inspections.read_round")
rule("inspections.read_briefing_package", ROUND_READERS, reads="inspections.read_round")
rule("inspections.hand_over_clue", {"group_leader"}, description="only the group leader hands a clue over",
     reads="inspections.read_round")
rule("inspections.refer_clue", TEAM_ROLES, description="the team refers clues to the group",
     reads="inspections.read_round")
rule("inspections.request_information", TEAM_ROLES | GROUP_ROLES, reads="inspections.read_round")
rule("inspections.answer_information", TEAM_ROLES | GROUP_ROLES, reads="inspections.read_round")
rule("inspections.record_finding", TEAM_ROLES, reads="inspections.read_round")
rule("inspections.hand_over_finding", {"team_leader"} | GROUP_ROLES, reads="inspections.read_round")
rule("inspections.record_rectification_progress", GROUP_ROLES, description="the group supervises rectification",
     reads="inspections.read_round")
rule("inspections.schedule_look_back", GROUP_ROLES, reads="inspections.read_round")
rule("inspections.complete_look_back", GROUP_ROLES, reads="inspections.read_round")
rule("inspections.check_deadlines", HQ_ROLES | GROUP_ROLES, scope="any", description="the overdue scheduler")
rule("inspections.read_unit_items", UNIT_ROLES | GROUP_ROLES | HQ_ROLES | AUDIT_ROLES,
     description="a unit sees the findings and rectification items addressed to it")
rule("inspections.plan_activity", GROUP_ROLES)
rule("inspections.carry_out_activity", GROUP_ROLES, description="start, record work and findings, complete",
     reads="inspections.read_activity")
rule("inspections.hand_over_activity_finding", GROUP_ROLES, reads="inspections.read_activity")
rule("inspections.refer_activity_finding", GROUP_ROLES, reads="inspections.read_activity")
rule("inspections.read_activity", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
rule("inspections.list_activities", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES, scope="any",
     description="rows filtered by can_read")
rule("inspections.read_handoff", ROUND_READERS, scope="any",
     description="frozen briefing packages; rows filtered by can_read and authz.handoff (the team's package)")
rule("inspections.follow_rectification", ROUND_READERS | UNIT_ROLES, scope="any",
     description="rectification items; rows filtered by can_read and authz.handoff (the team after its round)")
