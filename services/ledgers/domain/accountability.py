"""Accountability (执责必严、失责必问): when a duty failed, the accountability the group proposes and then decided.

Seed 000 (抓牢重点领域): "做到执责必严、失责必问"; seed 002 (精准推动整改): "综合运用监督执纪问责". Neither seed nor the
glossary lists the forms of accountability (the four forms 四种形态 are the outcomes of discipline, the clues
service's); the closed vocabulary here is the one of the Party's accountability regulations (《中国共产党问责条例》
2019, art. 8, for leading cadres). One record per person and failed duty: proposed with its grounds, on the items of
one directive's four lists that show the failure, against one person of the unit's roster (by the roster's id), then
decided once — the form decided (which may differ from the one proposed) by the body that decides, or not pursued.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError

FORMS = {
    "notification": "通报 (notification: criticism, written self-examination, notified within a scope)",
    "admonishment": "诫勉 (admonishment by talk or in writing)",
    "organisational_adjustment": "组织调整或者组织处理 (organisational adjustment: suspension, transfer, removal…)",
    "disciplinary_sanction": "纪律处分 (disciplinary sanction)",
}
OUTCOMES = {
    "decided": "已决定问责 (accountability decided)",
    "not_pursued": "不予问责 (not pursued)",
}
STATUSES = {"proposed": "已提出 (proposed)", **OUTCOMES}

AccountabilityDecidedError = ConflictError.kind("AccountabilityDecidedError", "accountability_decided")


def _text(value: str | None, label: str, code: str) -> str:
    if not (value or "").strip():
        raise InvalidInputError(f"{label}不能为空 ({code.replace('_', ' ')})", code=code)
    return str(value).strip()


def check_form(form: str) -> None:
    if form not in FORMS:
        raise InvalidInputError(f"未知问责方式 (unknown form of accountability): {form}", code="unknown_form")


class Accountability(ChainedAggregate):
    """The accountability of one person for a failed duty on a directive's items: proposed, then decided."""

    default_distribution = "hq"

    @classmethod
    def propose(
        cls, group_id: str, unit_id: str, directive_id: str, item_ids: list[str], person_id: str, form: str,
        failed_duty: str, grounds: str, proposed_by: str, proposed_on: date,
    ) -> Accountability:
        """A proposal after its rules: at least one item, a person of the roster, a form, the duty and grounds."""
        if not item_ids:
            raise InvalidInputError("须关联失责所涉事项 (name the items that show the failed duty)",
                                    code="items_required")
        check_form(form)
        return cls(
            group_id=group_id, unit_id=unit_id, directive_id=directive_id, item_ids=list(dict.fromkeys(item_ids)),
            person_id=_text(person_id, "问责对象", "person_required"), form=form,
            failed_duty=_text(failed_duty, "失责情形", "failed_duty_required"),
            grounds=_text(grounds, "问责依据和事实", "grounds_required"), proposed_by=proposed_by,
            proposed_on=proposed_on,
        )

    @event("Proposed")
    def __init__(
        self, group_id: str, unit_id: str, directive_id: str, item_ids: list[str], person_id: str, form: str,
        failed_duty: str, grounds: str, proposed_by: str, proposed_on: date,
    ) -> None:
        self._keep(locals())
        self.item_ids = list(item_ids)
        self.status = "proposed"
        self.decision: dict[str, Any] | None = None

    def decide(self, outcome: str, form: str | None, decided_by_body: str, decided_on: date, note: str,
               recorded_by: str) -> None:
        """The decision, once: the form decided, or not pursued with the reason."""
        if self.decision is not None:
            raise AccountabilityDecidedError("问责已作出决定 (the accountability was already decided)")
        if outcome not in OUTCOMES:
            raise InvalidInputError(f"未知决定 (unknown outcome): {outcome}", code="unknown_outcome")
        if outcome == "decided":
            if form is None:
                raise InvalidInputError("决定问责须写明问责方式 (a decision names the form)", code="form_required")
            check_form(form)
        elif form is not None:
            raise InvalidInputError("不予问责没有问责方式 (not pursued has no form)", code="form_not_allowed")
        else:
            _text(note, "不予问责的理由", "reason_required")
        if decided_on < self.proposed_on:
            raise InvalidInputError("决定日期早于提出日期 (decided before it was proposed)",
                                    code="decided_before_proposed")
        self._decided(outcome=outcome, form=form, decided_by_body=_text(decided_by_body, "决定机关", "body_required"),
                      decided_on=decided_on, note=(note or "").strip(), recorded_by=recorded_by)

    @event("Decided")
    def _decided(self, outcome: str, form: str | None, decided_by_body: str, decided_on: date, note: str,
                 recorded_by: str) -> None:
        self.status = outcome
        self.decision = {"outcome": outcome, "form": form, "decided_by_body": decided_by_body,
                         "decided_on": decided_on, "note": note, "recorded_by": recorded_by}
