"""The pages decide no access of their own, generated: every page that shows one record × every demo account
× the records seen in anyone's lists. A page answers what the API route of the same record answers, and a
record one may not read is the page of a missing one, byte for byte (but for the id typed)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from gateway.accounts import ACCOUNTS
from tests.api_helpers import Api, embedded_api
from tests.unit.web.test_pages import signed_in

PAGES = {
    "/group/directives/{}": "/api/ledgers/directives/{}",
    "/history/directive/{}": "/api/ledgers/directives/{}",
    "/group/clues/{}": "/api/clues/clues/{}",
    "/unit/submissions/{}": "/api/units/submissions/{}",
    "/inspection/rounds/{}": "/api/inspections/rounds/{}",
    "/group/feedback/drafts/{}": "/api/units/feedback-drafts/{}",
    "/group/activities/{}": "/api/inspections/activities/{}",
    "/unit/rounds/{}": "/api/ledgers/scheduling-rounds/{}",
    "/group/rounds/{}": "/api/ledgers/scheduling-rounds/{}",
}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api(demo=True) as api:
        api.sync()
        yield api


@pytest.fixture(scope="module")
def ids(api: Api) -> dict[str, list[str]]:
    """A few ids of each kind, as their owners list them."""
    directives = api.get("zhang.wei", "/api/ledgers/directives").json()["items"][:2]
    directives += api.get("zhou.other", "/api/ledgers/directives").json()["items"][:1]
    clues = api.get("zhang.wei", "/api/clues/clues").json()["items"][:2]
    submissions = api.get("zhao.unit", "/api/units/portal/submissions").json()["items"][:2]
    rounds = (api.get("li.na", "/api/inspections/rounds").json()["items"][:1]
              + api.get("zhou.other", "/api/inspections/rounds").json()["items"][:1])
    drafts = api.get("zhang.wei", "/api/units/units/unit-mee/feedback-drafts").json()["items"][:1]
    activities = (api.get("li.na", "/api/inspections/activities").json()["items"][:1]
                  + api.get("zhou.other", "/api/inspections/activities").json()["items"][:1])
    found = {
        "/group/directives/{}": [d["directive_id"] for d in directives],
        "/group/clues/{}": [c["clue_id"] for c in clues],
        "/unit/submissions/{}": [s["submission_id"] for s in submissions],
        "/inspection/rounds/{}": [r["round_id"] for r in rounds],
        "/group/feedback/drafts/{}": [d["draft_id"] for d in drafts],
        "/group/activities/{}": [a["activity_id"] for a in activities],
    }
    found["/history/directive/{}"] = found["/group/directives/{}"]
    scheduling = (api.get("zhang.wei", "/api/ledgers/scheduling-rounds").json()["items"][:1]
                  + api.get("zhou.other", "/api/ledgers/scheduling-rounds").json()["items"][:1])
    found["/unit/rounds/{}"] = found["/group/rounds/{}"] = [r["round_id"] for r in scheduling]
    assert all(found.values()), found
    return found


@pytest.mark.parametrize("user", sorted(ACCOUNTS))
def test_a_page_answers_what_the_api_answers_and_hides_what_it_hides(api: Api, ids: dict[str, list[str]],
                                                                     user: str) -> None:
    client = signed_in(api, user)
    for page, route in PAGES.items():
        missing_id = str(uuid.uuid4())
        missing = client.get(page.format(missing_id))
        assert missing.status_code == 404, (user, page)
        for record_id in ids[page]:
            expected = api.get(user, route.format(record_id)).status_code
            shown = client.get(page.format(record_id))
            assert shown.status_code == expected, (user, page, record_id, shown.status_code, expected)
            if expected == 404:
                assert (shown.content.replace(record_id.encode(), b"ID")
                        == missing.content.replace(missing_id.encode(), b"ID")), (user, page)
