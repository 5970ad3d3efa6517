"""Forensic replay of a directive, an item or another ledgers record (see services.common.forensics)."""

from __future__ import annotations

from services.common.case_history import ForensicHistoryQuery
from services.common.forensics import ForensicReplayQuery

__all__ = ["ForensicHistory", "ForensicReplay"]


class ForensicReplay(ForensicReplayQuery):
    """回放台账记录：历史及某一时点的状态，每次使用均被记录 (replay a ledgers record: its history and its state
    at a moment; every use is recorded)."""


class ForensicHistory(ForensicHistoryQuery):
    """案卷历史中本服务的事件，调用者无权查看的不列出 (the events of a case in this service's store, those the
    caller may not read left out; with the record's id the use is recorded)."""
