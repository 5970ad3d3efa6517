"""Permissions of platform-wide reads (dashboards, verification)."""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, rule

rule("hq_dashboard.read", HQ_ROLES | AUDIT_ROLES | GROUP_ROLES, scope="any",
     description="HQ sees every group; a group sees its own rows (filtered by can_read)")
