"""Clue referrals during a round: sealed for the clues service, never stored or published in plaintext."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from events import sealed
from events.envelope import canonical_json
from services.common.clock import ManualClock
from services.common.errors import ConflictError, InvalidInputError
from services.inspections.application import InspectionsApplication
from tests.factories import acting_as
from tests.unit.inspections.conftest import CONTENT, published

PLAINTEXTS = ("王某某", "收受企业礼金", "生态环境部某司", "副司长")


def stored_bytes(app: InspectionsApplication) -> bytes:
    return b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=10_000))


def refer(app: InspectionsApplication, round_id: str, **overrides: Any) -> dict[str, Any]:
    return app.refer_clue(round_id, **(CONTENT | overrides))


def test_referral_publishes_sealed_content_the_clues_service_can_open(
    app: InspectionsApplication, open_round: str, keys: tuple[str, str]
) -> None:
    result = refer(app, open_round)
    [envelope] = published(app, "inspections.ClueReferred")
    assert envelope.payload["referral_id"] == result["referral_id"]
    assert envelope.payload["round_id"] == open_round
    assert envelope.payload["activity_id"] is None
    assert sealed.unseal(envelope.payload["sealed_content"], keys[0]) == CONTENT


def test_no_plaintext_in_the_published_event(app: InspectionsApplication, open_round: str) -> None:
    refer(app, open_round)
    [envelope] = published(app, "inspections.ClueReferred")
    raw = envelope.to_bytes()
    as_ascii = json.dumps(envelope.model_dump(mode="json"), ensure_ascii=True).encode()
    for text in PLAINTEXTS:
        assert text.encode("utf-8") not in raw
        assert json.dumps(text).strip('"').encode() not in as_ascii


def test_no_plaintext_in_the_store_only_the_token(app: InspectionsApplication, open_round: str) -> None:
    refer(app, open_round)
    stored = stored_bytes(app)
    for text in PLAINTEXTS:
        assert text.encode("utf-8") not in stored
        assert json.dumps(text).strip('"').encode() not in stored  # \\uXXXX escaped form
    referral = app.get_round(open_round)["referrals"][0]
    digest = hashlib.sha256(canonical_json(CONTENT)).hexdigest()
    assert b'"sealed_content"' in stored
    assert digest.encode() not in stored  # issue #14: an unkeyed digest confirms a guessed content
    assert "sealed_content" not in referral.model_dump()


def test_the_check_itself_detects_plaintext(app: InspectionsApplication, open_round: str) -> None:
    # the same scan finds plaintext where it is stored: the no-plaintext tests can fail
    app.request_information(open_round, "team_to_group", "请提供王某某的干部档案", app.today())
    assert "王某某".encode() in stored_bytes(app)


def test_referral_needs_an_open_round(app: InspectionsApplication, round_id: str) -> None:
    with pytest.raises(ConflictError) as error:
        refer(app, round_id)
    assert error.value.code == "round_not_open"
    app.open_round(round_id)
    app.close_round(round_id, "结束")
    with pytest.raises(ConflictError) as closed:
        refer(app, round_id)
    assert closed.value.code == "round_closed"


def test_the_same_clue_referred_twice_is_two_sealed_referrals(app: InspectionsApplication, open_round: str) -> None:
    # the service cannot tell (it keeps nothing that would); the clues service makes one clue of them
    # (tests/unit/clues/test_policies.py)
    refer(app, open_round)
    refer(app, open_round)
    first, again = published(app, "inspections.ClueReferred")
    assert first.payload["sealed_content"] != again.payload["sealed_content"]  # sealed afresh: nothing to compare
    assert len(app.get_round(open_round)["referrals"]) == 2


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("subject_name", " ", "subject_required"), ("summary", "", "summary_required"),
     ("categories", [], "categories_required")],
)
def test_incomplete_content_is_refused(
    app: InspectionsApplication, open_round: str, field: str, value: Any, code: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        refer(app, open_round, **{field: value})
    assert error.value.code == code


def test_referral_without_a_sealing_key_is_refused(clock: ManualClock) -> None:
    app = InspectionsApplication(env={"CLUES_SEALING_PUBLIC_KEY": ""}, clock=clock)
    with app.acting(acting_as()):
        round_id = app.record_round(
            "group-mee", "unit-mee", "巡视", "team-3", ["liu.team"], *[clock.now().date()] * 6
        )["round_id"]
        app.open_round(round_id)
        with pytest.raises(ConflictError) as error:
            app.refer_clue(round_id, **CONTENT)
    assert error.value.code == "sealing_key_missing"
