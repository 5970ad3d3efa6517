"""Ledgers application: commands and queries of the master and detail ledgers."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import ServiceApplication, command, query
from services.ledgers.domainmodel import Directive
from services.ledgers.integration import mapper


class LedgersApplication(ServiceApplication):
    name = "ledgers"
    integration = mapper

    @command
    def register_directive(
        self,
        group_id: str,
        unit_id: str,
        reference_number: str,
        issuer: str,
        title: str,
        issued_on: date,
        received_on: date,
        lead_department: str,
        category: str | None = None,
        tied_to_duties: bool = False,
    ) -> dict[str, Any]:
        """Register a directive in the master ledger (总账)."""
        Directive.check_registration(title, reference_number, issued_on, received_on)
        directive = Directive(
            group_id=group_id,
            unit_id=unit_id,
            reference_number=reference_number.strip(),
            issuer=issuer.strip(),
            title=title.strip(),
            issued_on=issued_on,
            received_on=received_on,
            lead_department=lead_department.strip(),
            category=category,
            tied_to_duties=tied_to_duties,
        )
        position = self.record(directive)
        return {"directive_id": str(directive.id), "position": position}

    @command
    def record_stage(
        self,
        directive_id: str,
        stage: str,
        done_on: date,
        summary: str,
        done_by: str,
        meeting: str | None = None,
        document: str | None = None,
        skip_reason: str | None = None,
    ) -> dict[str, Any]:
        """Record what was done at one of the seven full-cycle stages (全周期管理)."""
        directive: Directive = self.load(directive_id, Directive)
        directive.check_stage(stage, skip_reason)
        directive.record_stage(
            stage=stage,
            done_on=done_on,
            summary=summary,
            meeting=meeting,
            document=document,
            done_by=done_by,
            skip_reason=skip_reason,
        )
        return {"directive_id": directive_id, "position": self.record(directive)}

    @query
    def get_directive(self, directive_id: str) -> dict[str, Any]:
        """One directive as the group's workbench shows it."""
        directive: Directive = self.load(directive_id, Directive)
        return {
            "directive_id": str(directive.id),
            "group_id": directive.group_id,
            "unit_id": directive.unit_id,
            "reference_number": directive.reference_number,
            "issuer": directive.issuer,
            "title": directive.title,
            "issued_on": directive.issued_on.isoformat(),
            "received_on": directive.received_on.isoformat(),
            "lead_department": directive.lead_department,
            "category": directive.category,
            "tied_to_duties": directive.tied_to_duties,
            "stages": {
                name: {k: (v.isoformat() if isinstance(v, date) else v) for k, v in stage.items()}
                for name, stage in directive.stages.items()
            },
            "version": directive.version,
        }
