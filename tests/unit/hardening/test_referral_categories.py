"""A referral's categories are the clues service's vocabulary: an unknown one is refused at the request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from events.vocab import CLUE_CATEGORIES
from tests.api_helpers import Api, embedded_api
from tests.unit.inspections.conftest import CONTENT
from tests.unit.inspections.test_api import new_round

MARK = "zz-MARKED-c0ffee"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as client:
        yield client


def test_an_unknown_category_is_refused_with_422_and_not_echoed(api: Api) -> None:
    round_id = new_round(api)
    response = api.post("liu.team", f"/api/inspections/rounds/{round_id}/referrals",
                        json=CONTENT | {"categories": ["integrity", MARK]})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "(" in error["message"] and MARK not in response.text
    api.sync()
    envelopes, _ = api.platform.apps["inspections"].integration_events(0, 10_000)
    assert not [e for e in envelopes if e.type == "inspections.ClueReferred"]


def test_every_category_the_clues_service_knows_is_accepted(api: Api) -> None:
    round_id = new_round(api)
    response = api.post("liu.team", f"/api/inspections/rounds/{round_id}/referrals",
                        json=CONTENT | {"categories": list(CLUE_CATEGORIES)})
    assert response.status_code == 201, response.text
    api.sync()
    assert api.platform.dead_letters.count("policy:clues") == 0
