"""The commission-scale generator (bench/scale.py) at a tiny size: what it says it wrote is in the stores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from eventsourcing.utils import get_topic

from bench.scale import EVENTS_PER_DIRECTIVE, UNITS_PER_GROUP, concurrent_conflicts, generate, settings_for
from paizhu.services import build_app
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import SchedulingRound
from services.ledgers.domainmodel import Directive
from services.units.outbound import OutboundItem


def topics(app) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(n.topic for n in app.recorder.select_notifications(start=1, limit=1_000_000))


def test_the_generator_writes_what_it_reports_and_registrations_do_not_conflict(
    pg_database: str, tmp_path: Path
) -> None:
    settings, keys = settings_for(pg_database, tmp_path)
    ledgers, units = build_app(settings, keys, "ledgers"), build_app(settings, keys, "units")
    try:
        done = generate(ledgers, units, groups=2, events=2 * 60 * EVENTS_PER_DIRECTIVE)
        assert (done.groups, done.units, done.directives) == (2, 2 * UNITS_PER_GROUP, 120)
        in_ledgers, in_units = topics(ledgers), topics(units)
        assert in_ledgers[get_topic(Directive.Registered)] == done.directives
        assert in_ledgers[get_topic(LedgerItem.Opened)] == done.items == 2 * done.directives
        assert in_ledgers[get_topic(SchedulingRound.Opened)] == done.rounds == 2 * UNITS_PER_GROUP
        assert in_units[get_topic(OutboundItem.Issued)] == done.outbound == done.directives
        assert done.total_events == sum(in_ledgers.values()) + sum(in_units.values()) >= 120 * EVENTS_PER_DIRECTIVE
        assert ledgers.directives("group-g001", None, None, False)[0].stages  # readable through the service

        conflicts, attempts = concurrent_conflicts(ledgers, "group-g000", "unit-g000-0", clients=4, each=5)
        assert (conflicts, attempts) == (0, 20)
    finally:
        ledgers.close()
        units.close()
