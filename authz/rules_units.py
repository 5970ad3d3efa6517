"""Permissions of the units service's actions (the routing matrix itself is a domain rule of the service).

Every action on an existing record is guarded by a read action (`units.read`, or the narrower read of
records a unit never sees): whoever may not read the record (another unit's liaison, another group, HQ on
group-internal drafts) gets the 404 a missing record gets; whoever may read it but not act gets 403.
"""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, UNIT_ROLES, rule

UNIT_SENDERS = frozenset({"unit_liaison", "unit_party_group"})
READ = "units.read"
OVERSIGHT = GROUP_ROLES | HQ_ROLES | AUDIT_ROLES

rule("units.register_unit", GROUP_ROLES, description="the group registers a unit it supervises")
rule("units.manage_roster", GROUP_ROLES | UNIT_SENDERS, reads=READ,
     description="departments and posts: the group, or the unit's liaison for its own unit")
rule("units.assign_counterpart", frozenset({"group_leader"}), reads="units.read_routing",
     description="the leader sets the routing matrix")
rule("units.upload_attachment", GROUP_ROLES | UNIT_SENDERS, scope="any",
     description="bytes only; a record must cite the attachment for anyone to read it")
rule("units.submit_inbound", UNIT_SENDERS, reads=READ, description="the unit's own liaison portal")
rule("units.respond_item", UNIT_SENDERS, reads=READ,
     description="acknowledge and answer items addressed to the unit")
rule("units.review_submission", GROUP_ROLES, reads=READ)
rule("units.issue_item", GROUP_ROLES, reads=READ, description="signed per the routing matrix (checked by the service)")
rule("units.track_item", GROUP_ROLES, reads=READ, description="delivery records and withdrawal")
rule("units.run_scheduler", GROUP_ROLES | HQ_ROLES, scope="any", description="record overdue items")
rule("units.deliberate_feedback", GROUP_ROLES, reads="units.read_draft",
     description="draft, opinions, revision, decision (the leader, checked by the service), issue")
rule("units.observe_power", GROUP_ROLES, reads="units.read_power",
     description="三重一大 observations, power lists, risk points")
rule("units.report_upward", GROUP_ROLES)
rule("units.reply_upward", HQ_ROLES, reads="units.read_upward")
rule("units.coordinate", GROUP_ROLES, reads=READ, description="consultations and joint announcements")
rule("units.complete_consultation_action", GROUP_ROLES | UNIT_SENDERS, reads=READ)
rule(READ, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES, scope="any",
     description="then the record's group, unit and distribution decide (authz.can_read)")
rule("units.read_routing", OVERSIGHT, scope="any", description="the routing matrix is not the unit's to see")
rule("units.read_draft", GROUP_ROLES, scope="any", description="feedback drafts are group-internal until issued")
rule("units.read_power", OVERSIGHT, scope="any", description="三重一大 records, power lists and risk points")
rule("units.read_upward", OVERSIGHT, scope="any", description="requests and reports to the commission")

# supervising people (既监督事也监督人) and integrity opinions (廉政意见): the group's, never the unit's
rule("units.mark_important", GROUP_ROLES, reads=READ,
     description="important posts and fields (监测环评、督察执法、核安全监管 …) on departments and posts")
rule("units.supervise_people", GROUP_ROLES, reads="units.read_people",
     description="key-person flags (重点人) and evaluations of the unit's responsible leaders: group-internal")
rule("units.read_people", GROUP_ROLES, scope="any", description="the group's own file on a person of the roster")
rule("units.request_integrity_opinion", GROUP_ROLES, reads=READ,
     description="ask the unit for an integrity opinion about a cadre (an item signed per the routing matrix)")
rule("units.tie_clue_outcome", GROUP_ROLES, reads="units.read_people",
     description="a clue's final outcome to a cadre's file: the clue's compartment only (checked on the record)")

rule("units.supervise_meetings", GROUP_ROLES, reads="units.read_meetings",
     description="leadership meetings attended (会议监督), exchanges of views with the 一把手, talks (谈心谈话)")
rule("units.read_meetings", OVERSIGHT, scope="any",
     description="meeting supervision and talks stay with the group and HQ, never the unit")
rule("units.record_network", GROUP_ROLES, reads=READ,
     description="joint meetings, training and 以干代训 of the three-level network (shared with the unit)")
