"""Checks shared by rounds, activities and referrals: each refuses with its own stable code.

The interface applies the same checks to a request (`services.inspections.interface`), so a caller gets
the same code whether the request or the aggregate refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from events.vocab import STAGE_LABELS
from services.common.errors import InvalidInputError
from services.inspections.vocab import ACTIVITY_KINDS, PROBLEM_TYPES, REQUEST_DIRECTIONS

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def require_text(value: str | None, label_zh: str, label_en: str, code: str) -> str:
    if value is None or not value.strip():
        raise InvalidInputError(f"{label_zh}不能为空 ({label_en} is required)", code=code)
    return value.strip()


def require_names(values: Iterable[str] | None, label_zh: str, label_en: str, code: str) -> list[str]:
    """A non-empty list of non-blank names or codes, stripped, in order, without duplicates."""
    found = list(values or [])
    if not found or any(not v.strip() for v in found):
        raise InvalidInputError(f"{label_zh}不能为空 ({label_en} are required)", code=code)
    return list(dict.fromkeys(v.strip() for v in found))


def check_problem_type(problem_type: str) -> None:
    if problem_type not in PROBLEM_TYPES:
        raise InvalidInputError(
            f"未知问题类型 (unknown problem type): {problem_type}", code="unknown_problem_type"
        )


def check_direction(direction: str) -> None:
    if direction not in REQUEST_DIRECTIONS:
        raise InvalidInputError(f"未知请求方向 (unknown direction): {direction}", code="unknown_direction")


def check_content_hash(content_hash: str) -> None:
    if not _SHA256.match(content_hash or ""):
        raise InvalidInputError("内容哈希应为SHA-256 (content hash must be SHA-256 hex)", code="bad_hash")


def check_not_past(day: date, today: date, what_zh: str, what_en: str) -> None:
    if day < today:
        raise InvalidInputError(f"{what_zh}已过 (the {what_en} is in the past)", code="deadline_in_past")


def check_stage(stage: str) -> None:
    """A stage of carrying out a directive (the seven of `events.vocab.STAGE_LABELS`)."""
    if stage not in STAGE_LABELS:
        raise InvalidInputError(f"未知环节 (unknown stage): {stage}", code="unknown_stage")


def check_kind(kind: str) -> None:
    if kind not in ACTIVITY_KINDS:
        raise InvalidInputError(f"未知监督方式 (unknown activity kind): {kind}", code="unknown_kind")
