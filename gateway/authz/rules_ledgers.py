"""Permissions of the ledgers service's actions."""

from __future__ import annotations

from gateway.authz import AUDIT_ROLES, GROUP_ROLES, HQ_ROLES, rule

rule("ledgers.register_directive", GROUP_ROLES, description="group staff record")
rule("ledgers.record_stage", GROUP_ROLES)
rule("ledgers.read_directive", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
