"""The same clue referred twice makes one clue, recognised by the clues service alone (issue #14).

The inspections service keeps only the sealed token; the clues service, which opens it, derives the clue's id
from an HMAC keyed with its private key over the round (or the activity's finding) and the content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from events.inspections import ClueReferred
from events.sealed import generate_keypair, seal
from services.clues.application import CluesApplication
from services.clues.policies import referral_fingerprint
from services.common.clock import ManualClock
from tests.factories import make_envelope, payload_of
from tests.unit.clues.conftest import intake
from tests.unit.clues.test_policies import CONTENT
from tests.unit.security.test_referral_views import fingerprints

OTHER = CONTENT | {"summary": "反映其违规兼职取酬"}


@pytest.fixture
def keypair() -> tuple[str, str]:
    return generate_keypair()


@pytest.fixture
def app(keypair: tuple[str, str]) -> CluesApplication:
    return CluesApplication(env={"CLUES_SEALING_PRIVATE_KEY": keypair[0]},
                            clock=ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC)))


def referral(public_key: str, position: int, referral_id: str, round_id: str | None = "round-2025-1",
             content: dict[str, Any] = CONTENT) -> Any:
    payload = ClueReferred(referral_id=referral_id, round_id=round_id,
                           activity_id=None if round_id else "activity-1", sealed_content=seal(content, public_key))
    return make_envelope(payload, service="inspections", position=position)


def deliver(app: CluesApplication, envelope: Any) -> bool:
    return app.process_integration_event(envelope, payload_of(envelope))


def referral_ids(app: CluesApplication) -> list[str]:
    return sorted(row["referral_id"] for row in intake(app))


def test_the_same_clue_referred_twice_by_one_round_makes_one_clue(app: CluesApplication,
                                                                 keypair: tuple[str, str]) -> None:
    assert deliver(app, referral(keypair[1], 7, "ref-001")) is True
    assert deliver(app, referral(keypair[1], 8, "ref-002")) is False  # sealed afresh, the same content
    assert referral_ids(app) == ["ref-001"]


def test_another_content_or_another_round_makes_its_own_clue(app: CluesApplication,
                                                           keypair: tuple[str, str]) -> None:
    assert deliver(app, referral(keypair[1], 7, "ref-001")) is True
    assert deliver(app, referral(keypair[1], 8, "ref-002", content=OTHER)) is True
    assert deliver(app, referral(keypair[1], 9, "ref-003", round_id="round-2025-2")) is True
    assert referral_ids(app) == ["ref-001", "ref-002", "ref-003"]


def test_two_findings_of_an_activity_each_make_a_clue(app: CluesApplication, keypair: tuple[str, str]) -> None:
    assert deliver(app, referral(keypair[1], 7, "finding-1", round_id=None)) is True
    assert deliver(app, referral(keypair[1], 8, "finding-2", round_id=None)) is True
    assert deliver(app, referral(keypair[1], 9, "finding-1", round_id=None)) is False  # the same finding again
    assert referral_ids(app) == ["finding-1", "finding-2"]


def test_only_the_private_key_gives_the_fingerprint() -> None:
    payload = ClueReferred(referral_id="ref-001", round_id="round-2025-1", activity_id=None, sealed_content="x")
    mine, other = generate_keypair()[0], generate_keypair()[0]
    fingerprint = referral_fingerprint(payload, CONTENT, mine)
    assert fingerprint == referral_fingerprint(payload, dict(reversed(CONTENT.items())), mine)
    assert fingerprint != referral_fingerprint(payload, CONTENT, other)
    assert fingerprint not in fingerprints(CONTENT)  # no unkeyed digest of the content
