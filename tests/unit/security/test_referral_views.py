"""A sealed referral leaves no trace of its content in any view: no plaintext, and no hash anyone could use to
confirm a guessed content (issue #14: round views carried an unsalted SHA-256 of it)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from events.envelope import canonical_json
from tests.api_helpers import Api, embedded_api
from tests.unit.inspections.conftest import CONTENT

ROUND = {
    "group_id": "group-mee", "unit_id": "unit-mee", "title": "中央第三巡视组对生态环境部党组巡视",
    "team_id": "team-3", "member_ids": ["liu.team", "xu.team"],
    "before_start": "2025-03-03", "before_end": "2025-03-10", "during_start": "2025-03-11",
    "during_end": "2025-05-10", "after_start": "2025-05-11", "after_end": "2025-08-31",
}
ACTIVITY = {
    "group_id": "group-mee", "unit_id": "unit-mee", "kind": "tracking", "title": "督察整改跟踪问效",
    "plan": "调阅资料、个别谈话", "participant_ids": ["zhang.wei", "zhou.min"], "methods": ["document_review", "talk"],
    "start_on": "2025-04-01", "end_on": "2025-04-30",
}
FINDING_CONTENT = CONTENT | {"subject_name": "赵某某", "summary": "反映其违规插手项目评审"}
READERS = ("zhang.wei", "li.na", "wang.qiang", "zhou.min", "chen.hq", "sun.audit", "liu.team", "xu.team",
           "zhou.other", "he.leader2", "zhao.unit", "ma.party", "qian.unit2")
HASHES = ("sha256", "sha1", "md5", "sha512", "sha3_256", "blake2b", "blake2s")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def encodings(content: dict[str, Any]) -> list[bytes]:
    """The ways one would serialise the content (or a part of it) before hashing it to check a guess."""
    whole = [canonical_json(content)] + [
        json.dumps(content, ensure_ascii=ascii_only, sort_keys=sort, separators=separators).encode()
        for ascii_only in (True, False) for sort in (True, False) for separators in ((",", ":"), (", ", ": "))
    ]
    parts = [str(v).encode() for v in content.values()] + [c.encode() for c in content["categories"]]
    return whole + parts


def fingerprints(content: dict[str, Any]) -> set[str]:
    found = set()
    for data in encodings(content):
        for name in HASHES:
            digest = hashlib.new(name, data).digest()
            found |= {digest.hex(), digest.hex().upper(), base64.b64encode(digest).decode(),
                      base64.urlsafe_b64encode(digest).decode().rstrip("=")}
    return found


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as client:
        yield client


@pytest.fixture(scope="module")
def referred(api: Api) -> dict[str, str]:
    return refer_a_round_and_a_finding(api)


def refer_a_round_and_a_finding(api: Api) -> dict[str, str]:
    """A round's team refers CONTENT, an activity's finding is referred as FINDING_CONTENT; their ids."""
    round_id = ok(api.post("zhang.wei", "/api/inspections/rounds", json=ROUND), 201)["round_id"]
    ok(api.post("zhang.wei", f"/api/inspections/rounds/{round_id}/open"))
    referral = ok(api.post("liu.team", f"/api/inspections/rounds/{round_id}/referrals", json=CONTENT), 201)
    activity_id = ok(api.post("zhang.wei", "/api/inspections/activities", json=ACTIVITY), 201)["activity_id"]
    ok(api.post("zhang.wei", f"/api/inspections/activities/{activity_id}/start", json={"started_on": "2025-04-01"}))
    finding_id = ok(api.post("zhang.wei", f"/api/inspections/activities/{activity_id}/findings",
                             json={"summary": "发现问题线索"}), 201)["finding_id"]
    ok(api.post("zhang.wei", f"/api/inspections/activities/{activity_id}/findings/{finding_id}/refer",
                json=FINDING_CONTENT))
    api.sync()
    return {"round_id": round_id, "activity_id": activity_id, "finding_id": finding_id,
            "referral_id": referral["referral_id"]}


def views(api: Api, ids: dict[str, str]) -> dict[str, str]:
    """Every view of the round and the activity, as each reader gets it (refusals included)."""
    paths = [f"/api/inspections/rounds/{ids['round_id']}", "/api/inspections/rounds",
             f"/api/inspections/activities/{ids['activity_id']}", "/api/inspections/activities",
             "/api/hq/dashboard"]
    return {f"{user} {path}": api.get(user, path).text for user in READERS for path in paths}


def test_the_views_show_that_a_referral_was_made(api: Api, referred: dict[str, str]) -> None:
    round_view = ok(api.get("zhang.wei", f"/api/inspections/rounds/{referred['round_id']}"))
    [referral] = round_view["referrals"]
    assert set(referral) == {"referral_id", "referred_at"}
    activity = ok(api.get("zhang.wei", f"/api/inspections/activities/{referred['activity_id']}"))
    [finding] = activity["findings"]
    assert set(finding["referral"]) == {"referred_at"}


def test_no_view_carries_the_content_or_any_hash_of_it(api: Api, referred: dict[str, str]) -> None:
    seen = views(api, referred)
    assert any(referred["round_id"] in text for text in seen.values())  # the views were really read
    for content in (CONTENT, FINDING_CONTENT):
        marks = fingerprints(content)
        plaintext = [content["subject_name"], content["summary"], content["subject_unit"],
                     json.dumps(content["summary"]).strip('"')]
        for where, text in seen.items():
            assert not [m for m in marks if m in text], f"{where} carries a hash of the referred content"
            assert not [p for p in plaintext if p in text], f"{where} carries referred content"


def test_the_check_itself_finds_a_hash_where_one_is(api: Api) -> None:
    planted = f'{{"content_hash": "{hashlib.sha256(canonical_json(CONTENT)).hexdigest()}"}}'
    assert [m for m in fingerprints(CONTENT) if m in planted]
