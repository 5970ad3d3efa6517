"""The ledgers application's shared helpers (the commands and queries live in the app_* mixins)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import ServiceApplication
from services.common.clock import Clock
from services.common.context import current
from services.common.errors import InvalidInputError
from services.ledgers.deadlines import DeadlineRule, rule_from, today
from services.ledgers.domain.config import GroupLedgerConfig
from services.ledgers.domain.loop import MasterLedger
from services.ledgers.index import LedgerIndex
from services.ledgers.integration import mapper


class LedgersBase(ServiceApplication):
    name = "ledgers"
    integration = mapper
    consumes = ("units", "inspections", "clues")

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env=env, clock=clock)
        self._index = LedgerIndex(self)

    @property
    def index(self) -> LedgerIndex:
        return self._index.catch_up()

    def today(self) -> date:
        return today(self.clock.now())

    def actor_user(self) -> str:
        return current().actor.get("user", "system")

    def config_for(self, group_id: str) -> GroupLedgerConfig | None:
        config_id = GroupLedgerConfig.create_id(group_id)
        if config_id not in self.repository:
            return None
        config: GroupLedgerConfig = self.repository.get(config_id)
        return config

    def master_ledger(self, group_id: str, unit_id: str) -> MasterLedger:
        """The unit's master ledger (a new, unsaved one on first use)."""
        ledger_id = MasterLedger.create_id(unit_id)
        if ledger_id in self.repository:
            ledger: MasterLedger = self.repository.get(ledger_id)
            return ledger
        return MasterLedger(group_id=group_id, unit_id=unit_id)

    @staticmethod
    def deadline(value: DeadlineRule | dict[str, Any] | date | None) -> tuple[dict[str, Any] | None, date | None]:
        """(the rule as recorded, the computed date) — both go into the event."""
        rule = rule_from(value)
        if rule is None:
            return None, None
        return rule.as_dict(), rule.due_on()

    @classmethod
    def required_deadline(cls, value: DeadlineRule | dict[str, Any] | date | None) -> tuple[dict[str, Any], date]:
        rule, due_on = cls.deadline(value)
        if rule is None or due_on is None:
            raise InvalidInputError("期限必填 (a deadline is required)", code="deadline_required")
        return rule, due_on
