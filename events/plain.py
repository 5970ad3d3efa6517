"""One JSON-plain conversion for every package: what `json.dumps` and a JSON column accept."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel


def plain(value: Any) -> Any:
    """Dates and datetimes as ISO strings, UUIDs and Decimals as strings, tuples as lists, sets as sorted lists,
    enums as their values, pydantic models as their JSON form, dict keys as strings; nested to any depth."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="json"))
    return value
