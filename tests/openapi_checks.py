"""What tests read out of the gateway's OpenAPI document."""

from __future__ import annotations

from typing import Any


def enums(node: Any) -> list[list[str]]:
    """Every `enum` in a document or a part of it, in document order."""
    if isinstance(node, dict):
        found = [list(node["enum"])] if "enum" in node else []
        return found + [e for value in node.values() for e in enums(value)]
    if isinstance(node, list):
        return [e for value in node for e in enums(value)]
    return []
