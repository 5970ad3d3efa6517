"""No store, topic or view outside the clues service holds anything that confirms a guessed referral text
(issue #14: the inspections store kept an unkeyed SHA-256 of every sealed referral).

A platform with its stores and read models on disk takes a round's referral (twice: the same clue) and an
activity's finding referred as a clue. Then every file of the data directory but the clues store and the keys,
every service's published events and every view as every demo user reads it are searched for the content and
for its digests by every usual hash and encoding (`fingerprints`). The clues service alone recognises the same
clue referred again: one clue for the round's two referrals.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from events.envelope import canonical_json
from services.inspections.application import InspectionsApplication
from tests.api_helpers import Api, embedded_api
from tests.factories import acting_as
from tests.unit.inspections.conftest import CONTENT, round_kwargs
from tests.unit.security.test_referral_views import (
    FINDING_CONTENT,
    fingerprints,
    ok,
    refer_a_round_and_a_finding,
    views,
)

CONTENTS = (CONTENT, FINDING_CONTENT)


def marks(content: dict[str, Any]) -> set[str]:
    """What would confirm a guessed content: its digests, and its plaintext (raw and JSON-escaped)."""
    texts = [content["subject_name"], content["summary"], content["subject_unit"]]
    return fingerprints(content) | set(texts) | {json.dumps(t).strip('"') for t in texts}


def found_in(data: bytes) -> list[str]:
    return [m for content in CONTENTS for m in marks(content) if m.encode() in data]


@pytest.fixture(scope="module")
def platform_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("referral-hash")
    seen: dict[str, Any] = {"data_dir": data_dir}
    with embedded_api(data_dir=data_dir) as api:
        seen.update(refer_everything(api))
        seen["views"] = views(api, seen["ids"])
        seen["topics"] = {name: b"\n".join(e.to_bytes() for e in app.integration_events(0, 100_000)[0])
                          for name, app in api.platform.apps.items()}
        seen["intake"] = ok(api.get("li.na", "/api/clues/intake"))["items"]
    yield seen  # the platform is stopped: its stores and read models are on disk, checkpointed


def refer_everything(api: Api) -> dict[str, Any]:
    ids = refer_a_round_and_a_finding(api)
    again = ok(api.post("xu.team", f"/api/inspections/rounds/{ids['round_id']}/referrals", json=CONTENT), 201)
    api.sync()
    return {"ids": ids, "referrals": [ids["referral_id"], again["referral_id"]], "finding_id": ids["finding_id"]}


def outside_the_clues_service(data_dir: Path) -> dict[str, bytes]:
    """Every file of the data directory but the clues store (and its journal) and the keys."""
    files = {}
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(data_dir).as_posix()
        if relative.startswith(("keys/", "stores/clues.db")):
            continue
        files[relative] = path.read_bytes()
    return files


def test_the_referrals_were_made_and_the_search_covers_the_stores(platform_run: dict[str, Any]) -> None:
    files = outside_the_clues_service(platform_run["data_dir"])
    assert {"stores/inspections.db", "stores/units.db", "stores/ledgers.db", "read_models.db"} <= set(files)
    inspections = files["stores/inspections.db"] + files.get("stores/inspections.db-wal", b"")
    for referral_id in platform_run["referrals"]:
        assert referral_id.encode() in inspections  # the referrals are in the store the search reads
    assert b'"sealed_content"' in inspections


def test_no_store_outside_the_clues_service_confirms_a_guess(platform_run: dict[str, Any]) -> None:
    for name, data in outside_the_clues_service(platform_run["data_dir"]).items():
        assert not found_in(data), f"{name} holds what confirms a guessed referral: {found_in(data)[:3]}"


def test_no_topic_confirms_a_guess(platform_run: dict[str, Any]) -> None:
    assert b"inspections.ClueReferred" in platform_run["topics"]["inspections"]
    for service, data in platform_run["topics"].items():
        assert not found_in(data), f"the {service} topic carries what confirms a guessed referral"


def test_no_view_confirms_a_guess(platform_run: dict[str, Any]) -> None:
    assert any(platform_run["ids"]["round_id"] in text for text in platform_run["views"].values())
    for where, text in platform_run["views"].items():
        assert not found_in(text.encode()), f"{where} carries what confirms a guessed referral"


def test_the_clues_service_makes_one_clue_of_the_same_referral_made_twice(platform_run: dict[str, Any]) -> None:
    by_round = [c for c in platform_run["intake"] if c.get("round_id") == platform_run["ids"]["round_id"]]
    from_activity = [c for c in platform_run["intake"] if c["referral_id"] == platform_run["finding_id"]]
    assert len(by_round) == 1 and by_round[0]["referral_id"] == platform_run["referrals"][0]
    assert len(from_activity) == 1 and from_activity[0]["round_id"] is None
    assert len(platform_run["intake"]) == 2


def test_the_search_finds_the_digest_a_referral_used_to_keep() -> None:
    """The digest the inspections store kept before is among the marks, and a store that holds it is caught;
    such an old event still loads (its digest is neither kept in the state nor shown)."""
    from events import sealed

    private, public = sealed.generate_keypair()
    app = InspectionsApplication(env={"CLUES_SEALING_PUBLIC_KEY": public})
    old_digest = hashlib.sha256(canonical_json(CONTENT)).hexdigest()
    assert old_digest in fingerprints(CONTENT)
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        round_id = app.record_round(**round_kwargs())["round_id"]
        app.open_round(round_id)
        inspection_round = app.repository.get(app_id(round_id))
        inspection_round._refer_clue(referral_id="ref-old", sealed_content=sealed.seal(CONTENT, public),
                                     referred_at=app.clock.now(), content_hash=old_digest)  # as recorded before
        app.save(inspection_round)
        stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=10_000))
        assert found_in(stored) == [old_digest]
        view = app.get_round(round_id)
    assert [r.referral_id for r in view["referrals"]] == ["ref-old"]
    assert old_digest not in json.dumps(view["referrals"][0].model_dump(mode="json"))
    assert private  # the clues service's half, unused here


def app_id(round_id: str) -> Any:
    from uuid import UUID

    return UUID(round_id)
