"""Permissions of the ledgers service's actions.

Group staff record; the group leader or deputy approves closures (销号) and reopenings; HQ and audit read;
the unit reads the items and scheduling rounds addressed to it (distribution "unit") and answers its rounds.
`reads` names the read action that guards an existing record's existence for the action: whoever fails it
gets the 404 of a missing record, whoever passes it but may not act gets 403.
"""

from __future__ import annotations

from authz import AUDIT_ROLES, GROUP_LEADERSHIP, GROUP_ROLES, HQ_ROLES, UNIT_ROLES, rule
from authz.rules_units import UNIT_SENDERS

DIRECTIVE = "ledgers.read_directive"
ITEM = "ledgers.read_item"
ROUND = "ledgers.read_round"
RECONCILIATION = "ledgers.read_reconciliation"
REVIEW = "ledgers.read_quarterly_review"
CATEGORY = "ledgers.read_category"

rule("ledgers.register_directive", GROUP_ROLES, description="group staff record")
rule("ledgers.record_stage", GROUP_ROLES, reads=DIRECTIVE)
rule(DIRECTIVE, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
rule("ledgers.amend_directive", GROUP_ROLES, description="corrections: a new event with a reason", reads=DIRECTIVE)
rule("ledgers.withdraw_directive", GROUP_ROLES, reads=DIRECTIVE)
rule("ledgers.set_stage_deadline", GROUP_ROLES, reads=DIRECTIVE)
rule("ledgers.evaluate_department", GROUP_ROLES, reads=DIRECTIVE)
rule("ledgers.configure_category", GROUP_LEADERSHIP, description="the group's detail-ledger categories",
     reads=CATEGORY)
rule(CATEGORY, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
rule("ledgers.record_item", GROUP_ROLES, description="four-list items: open, progress, evidence, deadline",
     reads=ITEM)
rule("ledgers.judge_problem", GROUP_ROLES, reads=ITEM)
rule("ledgers.close_item", GROUP_LEADERSHIP, description="销号 approved by group leadership", reads=ITEM)
rule("ledgers.record_look_back", GROUP_ROLES, description="a confirming look-back", reads=ITEM)
rule("ledgers.reopen_item", GROUP_LEADERSHIP, description="a look-back that reopens the item", reads=ITEM)
rule(ITEM, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES,
     description="the unit reads items addressed to it (their distribution is `unit`)")
rule("ledgers.schedule", GROUP_ROLES, description="调度 rounds: open and close", reads=ROUND)
rule("ledgers.answer_round", GROUP_ROLES | UNIT_SENDERS, reads=ROUND,
     description="answer a round per directive: the unit's liaison for its own unit (as it answers items), or "
                 "the group entering the unit's answer on its behalf (the event records which)")
rule(ROUND, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES | UNIT_ROLES)
rule("ledgers.reconcile", GROUP_ROLES, description="对账 and its findings", reads=RECONCILIATION)
rule(RECONCILIATION, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
rule("ledgers.run_scheduler", GROUP_LEADERSHIP | HQ_ROLES, scope="any",
     description="record overdue / look-back-due events now (normally the platform's timer)")
rule("ledgers.import_directives", GROUP_ROLES, description="import a master ledger from .xlsx (preview, confirm)")
rule("ledgers.read_import", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
rule("ledgers.export_ledger", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES,
     description="download a ledger view as .xlsx (only what the principal may read)", reads=DIRECTIVE)
rule("ledgers.record_quarterly_review", GROUP_LEADERSHIP, description="组务会季度专题研究, recorded by leadership",
     reads=REVIEW)
rule("ledgers.record_self_look_back", GROUP_LEADERSHIP, description="the group's 自身回头看", reads=REVIEW)
rule("ledgers.complete_review_follow_up", GROUP_ROLES, reads=REVIEW)
rule(REVIEW, GROUP_ROLES | HQ_ROLES | AUDIT_ROLES)
rule("ledgers.propose_accountability", GROUP_ROLES, reads=DIRECTIVE,
     description="执责必严、失责必问: propose accountability for a failed duty on a directive's items")
rule("ledgers.decide_accountability", GROUP_LEADERSHIP, reads="ledgers.read_accountability",
     description="record the decision of the body that decided (leadership records it)")
rule("ledgers.read_accountability", GROUP_ROLES | HQ_ROLES | AUDIT_ROLES,
     description="accountability names a person: the group and HQ, never the unit's liaison")
