"""Permissions of the units service's actions (the routing matrix itself is a domain rule of the service)."""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, UNIT_ROLES, rule

UNIT_SENDERS = frozenset({"unit_liaison", "unit_party_group"})

rule("units.register_unit", GROUP_ROLES, description="the group registers a unit it supervises")
rule("units.manage_roster", GROUP_ROLES | UNIT_SENDERS,
     description="departments and posts: the group, or the unit's liaison for its own unit")
rule("units.assign_counterpart", frozenset({"group_leader"}), description="the leader sets the routing matrix")
rule("units.upload_attachment", GROUP_ROLES | UNIT_SENDERS, scope="any",
     description="bytes only; a record must cite the attachment for anyone to read it")
rule("units.submit_inbound", UNIT_SENDERS, description="the unit's own liaison portal")
rule("units.respond_item", UNIT_SENDERS, description="acknowledge and answer items addressed to the unit")
rule("units.review_submission", GROUP_ROLES)
rule("units.issue_item", GROUP_ROLES, description="signed per the routing matrix (checked by the service)")
rule("units.track_item", GROUP_ROLES, description="delivery records and withdrawal")
rule("units.run_scheduler", GROUP_ROLES | HQ_ROLES, scope="any", description="record overdue items")
rule("units.deliberate_feedback", GROUP_ROLES,
     description="draft, opinions, revision, decision (the leader, checked by the service), issue")
rule("units.observe_power", GROUP_ROLES, description="三重一大 observations, power lists, risk points")
rule("units.report_upward", GROUP_ROLES)
rule("units.reply_upward", HQ_ROLES)
rule("units.coordinate", GROUP_ROLES, description="consultations and joint announcements")
rule("units.complete_consultation_action", GROUP_ROLES | UNIT_SENDERS)
rule("units.read", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES, scope="any",
     description="then authz.require_read on the record's group, unit and distribution")
