"""Backoff with jitter, and the loop that never dies."""

from __future__ import annotations

import random
import threading

from runtime.retry import Backoff, backoff_delay, run_forever


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(7)
    assert backoff_delay(0) == 0.0
    for failures, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0)):
        delays = [backoff_delay(failures, rng=rng) for _ in range(200)]
        assert all(ceiling * 0.5 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 100  # jittered: processes cut together do not come back in lock-step
    assert all(15.0 <= backoff_delay(50, rng=rng) <= 30.0 for _ in range(100))


def test_a_success_resets_the_backoff() -> None:
    backoff = Backoff(base=1.0, cap=100.0)
    assert backoff.failed() <= 1.0
    assert backoff.failed() <= 2.0
    assert 2.0 <= backoff.failed() <= 4.0
    backoff.succeeded()
    assert backoff.failed() <= 1.0


def test_run_forever_survives_failing_steps_and_stops_when_asked() -> None:
    stop = threading.Event()
    calls: list[int] = []
    cleaned: list[str] = []

    def step() -> None:
        calls.append(1)
        if len(calls) < 4:
            raise ConnectionError("database away")
        stop.set()

    run_forever(step, stop, "test loop", base=0.001, cap=0.01, on_failure=lambda e: cleaned.append(type(e).__name__))
    assert len(calls) == 4
    assert cleaned == ["ConnectionError"] * 3
