"""Policies fed from a partitioned topic: tracked by stream version, so an event of a lower position read after
a higher one from another partition is processed, and a redelivery is not."""

from __future__ import annotations

from services.ledgers.application import LedgersApplication
from tests.factories import make_envelope

from . import read_model as read
from .test_policies import notified


def test_a_lower_position_from_another_partition_is_processed_a_redelivery_is_not(app: LedgersApplication) -> None:
    later = make_envelope(notified("环办〔2025〕21号", "n-2"), service="units", position=9, stream_id="s-2")
    earlier = make_envelope(notified("环办〔2025〕20号", "n-1"), service="units", position=4, stream_id="s-1")
    assert app.process_integration_event(later, notified("环办〔2025〕21号", "n-2"), by_stream=True) is True
    assert app.process_integration_event(earlier, notified("环办〔2025〕20号", "n-1"), by_stream=True) is True
    assert app.process_integration_event(later, notified("环办〔2025〕21号", "n-2"), by_stream=True) is False
    assert app.process_integration_event(earlier, notified("环办〔2025〕20号", "n-1"), by_stream=True) is False
    assert sorted(r["reference_number"] for r in read.directives(app)) == ["环办〔2025〕20号", "环办〔2025〕21号"]


def test_by_position_a_lower_position_after_a_higher_one_counts_as_seen(app: LedgersApplication) -> None:
    """The rule of an ordered feed (embedded logs, one partition), which a partitioned topic must not use."""
    later = make_envelope(notified("环办〔2025〕21号", "n-2"), service="units", position=9, stream_id="s-2")
    earlier = make_envelope(notified("环办〔2025〕20号", "n-1"), service="units", position=4, stream_id="s-1")
    assert app.process_integration_event(later, notified("环办〔2025〕21号", "n-2")) is True
    assert app.process_integration_event(earlier, notified("环办〔2025〕20号", "n-1")) is False
