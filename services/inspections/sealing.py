"""Clue content referred by a team or an activity: validated, sealed for the clues service, hashed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from events import sealed
from events.envelope import canonical_json
from services.common.errors import ConflictError, InvalidInputError
from services.inspections.guards import require_text

PUBLIC_KEY_ENV = "CLUES_SEALING_PUBLIC_KEY"


SealingKeyMissingError = ConflictError.kind("SealingKeyMissingError", "sealing_key_missing")


def clue_content(
    subject_name: str, subject_unit: str, subject_post: str, key_person: bool, categories: list[str], summary: str
) -> dict[str, Any]:
    """The content dict exactly as the clues service opens it."""
    if not categories or any(not c.strip() for c in categories):
        raise InvalidInputError("须注明问题类别 (allegation categories are required)", code="categories_required")
    return {
        "subject_name": require_text(subject_name, "被反映人", "subject name", "subject_required"),
        "subject_unit": require_text(subject_unit, "被反映人单位", "subject unit", "subject_unit_required"),
        "subject_post": (subject_post or "").strip(),
        "key_person": bool(key_person),
        "categories": [c.strip() for c in categories],
        "summary": require_text(summary, "线索摘要", "summary", "summary_required"),
    }


def content_hash(content: dict[str, Any]) -> str:
    """The digest the round keeps to refuse a second referral of the same clue.

    It stays in the inspections store: unkeyed, it would let whoever sees it confirm a guessed content, so no
    view, contract or log carries it (`views.py`, `integration.py`).
    """
    return hashlib.sha256(canonical_json(content)).hexdigest()


def seal_content(content: dict[str, Any], env: Mapping[str, str] | None) -> tuple[str, str]:
    """(sealed token for the clues service, SHA-256 of the canonical content); no plaintext is kept."""
    public_key = (env or {}).get(PUBLIC_KEY_ENV, "")
    if not public_key:
        raise SealingKeyMissingError(
            "未配置线索加密公钥，不能移送线索 (the clues sealing key is not configured)"
        )
    return sealed.seal(content, public_key), content_hash(content)
