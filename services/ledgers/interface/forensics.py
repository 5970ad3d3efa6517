"""Forensic replay of a directive, an item or another ledgers record (see services.common.forensics)."""

from __future__ import annotations

from services.common.forensics import ForensicReplayQuery

__all__ = ["ForensicReplay"]


class ForensicReplay(ForensicReplayQuery):
    """回放台账记录：历史及某一时点的状态，每次使用均被记录 (replay a ledgers record: its history and its state
    at a moment; every use is recorded)."""
