"""Helpers of the tests that run several members of a consumer group as processes and kill one."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path


def held(log: Path, topic: str) -> set[int]:
    """The partitions of `topic` that the member's last assignment gave it (from its log's "holds" lines)."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if " holds " in line]
    if not lines:
        return set()
    return {int(n) for n in re.findall(re.escape(topic) + r"/(\d+)", lines[-1])}


def wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.25)
