"""Clue content referred by a team or an activity: validated, sealed for the clues service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from events import sealed
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


def seal_content(content: dict[str, Any], env: Mapping[str, str] | None) -> str:
    """The sealed token for the clues service; nothing else is kept: no plaintext, and no digest of it.

    An unkeyed digest would let whoever reads the store, a topic or a view confirm a guessed content (issue
    #14); the same clue referred twice is recognised by the clues service, which alone can open the token
    (`services.clues.policies.referral_fingerprint`).
    """
    public_key = (env or {}).get(PUBLIC_KEY_ENV, "")
    if not public_key:
        raise SealingKeyMissingError(
            "未配置线索加密公钥，不能移送线索 (the clues sealing key is not configured)"
        )
    return sealed.seal(content, public_key)
