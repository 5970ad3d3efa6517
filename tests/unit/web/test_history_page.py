"""The portals' case-history page: the case across the four services (what `/api/forensics/…/history` answers),
each event with its actor, both times and a readable description in the user's language; a clue's history only
for its compartment — anyone else gets the page of a missing case, and the refusal is recorded."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import Api, embedded_api
from tests.unit.forensics.cross_service import SECRETS, record_case, uses
from tests.unit.web.test_pages import HTML, signed_in


@pytest.fixture(scope="module")
def case() -> Iterator[dict[str, Any]]:
    """A round whose referral became a clue (clues) and whose finding became a ledger item (ledgers)."""
    with embedded_api() as api:
        ids = record_case(api.platform.apps, api.sync)
        yield {"api": api, **ids}


def ask(client: TestClient, kind: str, record_id: str, **fields: str) -> Any:
    form = {"reason": "复核案卷 (review the case)", **fields, "csrf_token": client.cookies["paizhu_csrf"]}
    return client.post(f"/history/{kind}/{record_id}", data=form, headers=HTML)


def listed(page: str) -> list[dict[str, str]]:
    """The case history's entries as the page lists them."""
    block = page.split('id="case-history"', 1)[1].split("</ol>", 1)[0]
    return [{"service": service, "why": why, "text": text}
            for service, why, text in re.findall(r'<li data-service="(\w+)" data-why="(\w+)"[^>]*>(.*?)</li>',
                                                 block, re.S)]


def api_history(api: Api, user: str, kind: str, record_id: str) -> dict[str, Any]:
    answered = api.post(user, f"/api/forensics/{kind}/{record_id}/history", json={"reason": "对照 (compare)"})
    assert answered.status_code == 200, answered.text
    body: dict[str, Any] = answered.json()
    return body


def test_the_page_shows_the_case_across_the_services_with_actor_times_and_description(
        case: dict[str, Any]) -> None:
    api, round_id = case["api"], case["round_id"]
    client = signed_in(api, "sun.audit")
    assert 'id="replay-form"' in client.get(f"/history/round/{round_id}", headers=HTML).text
    page = ask(client, "round", round_id)
    assert page.status_code == 200, page.text
    entries = listed(page.text)
    expected = api_history(api, "sun.audit", "round", round_id)["events"]
    assert [(e["service"], e["why"]) for e in entries] == [(e["service"], e["why"]) for e in expected]
    assert {e["service"] for e in entries} == {"inspections", "clues", "ledgers", "units"}
    for entry, event in zip(entries, expected, strict=True):
        assert event["description"]["zh"] in entry["text"]
        assert event["actor"]["user"] in entry["text"] and "记录于" in entry["text"]
    assert "线索" in page.text and "由本案事件引起" in page.text
    assert not any(secret in page.text for secret in SECRETS), "clue content left the clues service"
    assert ("sun.audit", "history", "allowed", round_id) in uses(api, "inspections")


def test_the_page_speaks_english_and_shows_the_state_at_a_version(case: dict[str, Any]) -> None:
    api, round_id = case["api"], case["round_id"]
    client = signed_in(api, "sun.audit")
    client.get("/lang/en?next=/")
    page = ask(client, "round", round_id, as_of_version="1")
    assert page.status_code == 200, page.text
    expected = api_history(api, "sun.audit", "round", round_id)["events"]
    entries = listed(page.text)
    assert all(event["description"]["en"] in entry["text"] for entry, event in zip(entries, expected, strict=True))
    assert "recorded" in entries[0]["text"] and 'id="state"' in page.text
    assert ("sun.audit", "replay", "allowed", round_id) in uses(api, "inspections")


def test_a_clues_history_only_for_its_compartment_anyone_else_gets_the_missing_cases_page(
        case: dict[str, Any]) -> None:
    api, clue_id = case["api"], case["clue_id"]
    outsider = signed_in(api, "zhang.wei")  # group-mee, not in the clue's compartment
    missing_id = str(uuid.uuid4())
    missing = ask(outsider, "clue", missing_id)
    refused = ask(outsider, "clue", clue_id)
    assert missing.status_code == refused.status_code == 404
    assert refused.text.replace(clue_id, "<id>") == missing.text.replace(missing_id, "<id>")
    assert ("zhang.wei", "history", "refused", clue_id) in uses(api, "clues")
    member = ask(signed_in(api, "zhou.min"), "clue", clue_id)
    assert member.status_code == 200, member.text
    assert [e["service"] for e in listed(member.text)][0] == "clues"
    assert not any(secret in member.text for secret in SECRETS)
    staff = ask(outsider, "round", case["round_id"])  # the round: its clue's events are left out, uncounted
    assert staff.status_code == 200
    assert {e["service"] for e in listed(staff.text)} == {"inspections", "ledgers"}
    assert clue_id not in staff.text


def test_a_missing_reason_is_shown_next_to_the_field(case: dict[str, Any]) -> None:
    client = signed_in(case["api"], "sun.audit")
    page = ask(client, "round", case["round_id"], reason=" ")
    assert page.status_code == 422 and 'aria-invalid="true"' in page.text and 'id="case-history"' not in page.text
