"""Reactions of the clues service to other services' integration events.

Sealed referral content (`inspections.ClueReferred.sealed_content`)
----------------------------------------------------------------------
An inspection team or a supervision activity refers a clue by sealing its content for the clues
service's public key (`events.sealed.seal(content, public_key)`; the clues service holds the private key
in its env as `CLUES_SEALING_PRIVATE_KEY`, base64). The plaintext content is this JSON object::

    {
        "subject_name": str,      # 被反映人姓名 (required)
        "subject_unit": str,      # 所在单位/部门
        "subject_post": str,      # 职务
        "key_person": bool,       # 驻在单位领导班子成员或"一把手" (key person of the unit's leadership)
        "categories": [str],      # codes: political organisational integrity mass work life duty_illegality
        "summary": str            # 主要问题摘要 (allegation summary, required)
    }

The referral becomes a clue in status `referred` with an empty compartment; the group leader takes it in
(`accept_referral`). Its id derives from the referral's fingerprint (`referral_fingerprint`: an HMAC keyed
with this service's private key over the round, or the activity's finding, and the content), so neither a
redelivered referral nor the same clue referred twice by one round makes two clues. Only this service can
compute the fingerprint: no other store, topic or view holds anything that confirms a guessed content.

Rectification reports (`units.RectificationReported`) whose `subject_ref` is one of this service's
recommendations are recorded as the unit's response to it; reports about anything else are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from eventsourcing.application import ProcessingEvent

from events.envelope import Envelope, canonical_json
from events.sealed import unseal
from services.clues.deadlines import TimeLimits
from services.clues.domainmodel import Clue
from services.clues.recommendation import Recommendation
from services.common.application import policy
from services.common.clock import beijing_date
from services.common.errors import NotFoundError
from services.common.workdays import Arrangement, Calendar, count, provisional_in

SEALING_KEY_ENV = "CLUES_SEALING_PRIVATE_KEY"
_FINGERPRINT_LABEL = b"paizhu/clues/referral-fingerprint\x00"


class SealingKeyMissingError(RuntimeError):
    """The clues service cannot open referrals without its private key: a deployment error, not a domain one."""


def referral_fingerprint(payload: Any, content: dict[str, Any], private_key: str) -> str:
    """HMAC-SHA256, keyed with the clues service's private key, of where the referral comes from (the round;
    for an activity, its finding) and its content: the same clue referred again from there has the same one."""
    source = f"round/{payload.round_id}" if payload.round_id else f"finding/{payload.referral_id}"
    message = _FINGERPRINT_LABEL + canonical_json({"source": source, "content": content})
    return hmac.new(private_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def referral_content(sealed_content: str, private_key: str | None) -> dict[str, Any]:
    if not private_key:
        raise SealingKeyMissingError(
            f"线索服务未配置解封私钥 (clues service has no {SEALING_KEY_ENV}); cannot open a referral"
        )
    return unseal(sealed_content, private_key)


class CluesPolicies:
    """Mixed into the clues application: `@policy` methods the runtime calls with tracking."""

    # provided by the application (annotations only, so they never shadow its methods)
    env: Any
    time_limits: TimeLimits
    load: Callable[..., Any]
    limit: Callable[..., Any]
    new_arrangement: Callable[..., Any]
    working_calendar: Callable[[], Calendar]
    ids_with: Callable[..., Any]
    repository: Any

    @policy("inspections.ClueReferred")
    def on_clue_referred(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        private_key = self.env.get(SEALING_KEY_ENV) or ""
        content = referral_content(payload.sealed_content, private_key)
        received_on = beijing_date(envelope.occurred_at)
        rule, due_on = self.limit("disposition", received_on)
        clue = Clue.refer(
            referral={
                "referral_id": payload.referral_id,
                "round_id": payload.round_id,
                "activity_id": payload.activity_id,
                "referred_by": envelope.actor.user,
            },
            group_id=envelope.group_id or "",
            unit_id=envelope.unit_id or "",
            subject={
                "name": content.get("subject_name", ""),
                "unit": content.get("subject_unit", ""),
                "post": content.get("subject_post", ""),
                "key_person": content.get("key_person", False),
            },
            categories=list(content.get("categories", [])),
            summary=str(content.get("summary", "")),
            received_on=received_on,
            disposition_due_on=due_on,
            disposition_rule=rule,
            intake_key=f"referral/{referral_fingerprint(payload, content, private_key)}",
        )
        processing.collect_events(clue)

    @policy("units.RectificationReported")
    def on_rectification_reported(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        try:
            recommendation: Recommendation = self.load(payload.subject_ref, Recommendation)
        except NotFoundError:
            return
        if recommendation.unit_id != envelope.unit_id or recommendation.status not in ("issued", "responded"):
            return
        recommendation.record_response(
            report_id=payload.report_id,
            summary=payload.summary,
            completed=payload.completed,
            received_on=beijing_date(envelope.occurred_at),
        )
        processing.collect_events(recommendation)

    @policy("ledgers.CalendarArrangementRecorded")
    def on_calendar_arrangement(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        """A year's arrangement recorded by HQ: keep it, and recompute the clues' deadlines that were counted
        Monday–Friday in that year (one DeadlineRecomputed event each; the old events stay)."""
        arrangement = Arrangement.from_dict(payload.model_dump())
        kept = self.new_arrangement(arrangement, learnt_from=envelope.event_id)
        if kept is None:
            return  # already held
        calendar = Calendar([*self.working_calendar().arrangements.values(), arrangement])
        changed = []
        for clue_id in self.ids_with(Clue.Registered):
            clue: Clue = self.repository.get(clue_id)
            kinds = [kind for kind, deadline in clue.running_deadlines().items()
                     if provisional_in(deadline.get("rule"), arrangement.year)]
            for kind in kinds:
                recorded = clue.deadlines[kind]["rule"]
                rule, due_on = count(recorded["basis"], int(recorded["count"]), recorded["from_date"], calendar)
                clue.recompute_deadline(kind, rule, due_on)
            if kinds:
                changed.append(clue)
        processing.collect_events(kept, *changed)
