"""The briefing package (巡前): a pure fold of integration events, as of stated positions, and its hash.

The same history and the same positions give the same bytes, hence the same SHA-256: that is how the
group proves later what the team was given. Payloads are folded as published (not upcast), so a later
schema version does not change a package already frozen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from events.envelope import Envelope, canonical_json

SOURCE_SERVICES = ("ledgers", "clues", "units", "inspections")

_SECTION_RULES: tuple[tuple[str, str], ...] = (
    ("units.Person", "key_persons"),
    ("units.DemocraticEvaluation", "integrity_files"),
    ("units.DutyIntegrity", "integrity_files"),
    ("units.IntegrityOpinion", "integrity_files"),
    ("units.Feedback", "feedback"),
    ("units.Outbound", "feedback"),
    ("units.Rectification", "rectification_history"),
    ("inspections.Rectification", "rectification_history"),
    ("inspections.LookBack", "rectification_history"),
    ("units.Power", "power_and_risks"),
    ("units.RiskPoint", "power_and_risks"),
    ("clues.Recommendation", "recommendations"),
)


def section_of(event_type: str) -> str:
    """Which part of the package an event belongs to (overdue first: it is what the team looks for)."""
    if event_type.endswith("Overdue"):
        return "overdue_items"
    for prefix, section in _SECTION_RULES:
        if event_type.startswith(prefix):
            return section
    service = event_type.partition(".")[0]
    return "ledger_records" if service == "ledgers" else f"{service}_records"


def visible_to_team(envelope: Envelope, unit_id: str, round_id: str) -> bool:
    """Records of the unit the team may be given: HQ- or unit-level, or distributed to this round."""
    if envelope.unit_id != unit_id:
        return False
    return envelope.distribution in ("hq", "unit") or envelope.distribution == f"inspection:{round_id}"


def _entry(envelope: Envelope) -> dict[str, Any]:
    return {
        "service": envelope.service,
        "position": envelope.position,
        "type": envelope.type,
        "schema_version": envelope.schema_version,
        "stream_id": envelope.stream_id,
        "occurred_at": envelope.occurred_at,
        "payload": envelope.payload,
    }


def _in_history(envelopes: Iterable[Envelope], positions: dict[str, int]) -> list[Envelope]:
    unique = {(e.service, e.position): e for e in envelopes if e.position <= positions.get(e.service, 0)}
    return [unique[key] for key in sorted(unique)]


def handed_over_clue_ids(envelopes: Iterable[Envelope], round_id: str) -> set[str]:
    return {
        str(e.payload.get("clue_id")) for e in envelopes
        if e.type == "inspections.ClueHandedOver" and e.payload.get("round_id") == round_id
    }


def _clue_id_of(envelope: Envelope) -> str:
    return str(envelope.payload.get("clue_id") or envelope.stream_id)


def build_package(
    envelopes: Iterable[Envelope], *, round_id: str, unit_id: str, positions: dict[str, int]
) -> dict[str, Any]:
    """Fold the history (events at or below `positions` per service) into the team's briefing package.

    Clues appear only as statistics, except the ones the group leader handed over to this round
    (`inspections.ClueHandedOver`, itself part of the history).
    """
    history = _in_history(envelopes, positions)
    handed_over = handed_over_clue_ids(history, round_id)
    directives: dict[str, dict[str, Any]] = {}
    sections: dict[str, list[dict[str, Any]]] = {}
    clue_statistics: dict[str, int] = {}
    clues: dict[str, list[dict[str, Any]]] = {clue_id: [] for clue_id in sorted(handed_over)}
    for envelope in history:
        if envelope.unit_id != unit_id:
            continue
        if envelope.service == "clues" and not envelope.type.startswith("clues.Recommendation"):
            clue_statistics[envelope.type] = clue_statistics.get(envelope.type, 0) + 1
            if _clue_id_of(envelope) in handed_over:
                clues[_clue_id_of(envelope)].append(_entry(envelope))
            continue
        if not visible_to_team(envelope, unit_id, round_id):
            continue
        payload = envelope.payload
        if envelope.type == "ledgers.DirectiveRegistered":
            directives[payload["directive_id"]] = {
                "reference_number": payload.get("reference_number"), "title": payload.get("title"),
                "received_on": payload.get("received_on"), "category": payload.get("category"),
                "tied_to_duties": payload.get("tied_to_duties"), "stages": [],
            }
            continue
        if envelope.type == "ledgers.DirectiveStageRecorded" and payload.get("directive_id") in directives:
            directives[payload["directive_id"]]["stages"].append(
                {"stage": payload.get("stage"), "done_on": payload.get("done_on"),
                 "skipped_with_reason": payload.get("skipped_with_reason")}
            )
            continue
        if envelope.type == "ledgers.DirectiveAmended" and payload.get("directive_id") in directives:
            # a correction within the package's positions shows in the directive (a package frozen before it
            # does not reach its position, so keeps its bytes); the correction itself stays on record below
            shown = directives[payload["directive_id"]]
            shown.update({k: v for k, v in (payload.get("changes") or {}).items() if k in shown and k != "stages"})
        sections.setdefault(section_of(envelope.type), []).append(_entry(envelope))
    return {
        "round_id": round_id,
        "unit_id": unit_id,
        "positions": {service: int(positions[service]) for service in sorted(positions)},
        "ledger": {
            "directives": directives,
            "directive_count": len(directives),
            "stages_recorded": sum(len(d["stages"]) for d in directives.values()),
        },
        "sections": sections,
        "clue_statistics": clue_statistics,
        "handed_over_clues": clues,
    }


def encode_package(package: dict[str, Any]) -> bytes:
    return canonical_json(package)


def package_hash(package: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the package."""
    return hashlib.sha256(encode_package(package)).hexdigest()
