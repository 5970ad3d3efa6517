"""A case's history across the services over HTTP, and the evidence bundle as a download.

A round whose referral became a clue (clues) and whose finding became a ledger item (ledgers): the auditor sees
every event of the case; a group member sees the round and the item but not the clue outside their compartment —
left out, with no placeholder and no count; the compartment sees it, without its content. Whoever may not see the
round gets the missing record's 404, and every use, a refusal included, is recorded. Only the auditor exports the
evidence bundle (it holds the plain fields its hashes cover: a clue's content too); it verifies stand-alone.
"""

from __future__ import annotations

import importlib.util
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.api_helpers import Api, embedded_api
from tests.unit.forensics.cross_service import SECRETS, record_case, uses

ROOT = Path(__file__).resolve().parents[3]


def history(api: Api, user: str, kind: str, record_id: str) -> Any:
    return api.post(user, f"/api/forensics/{kind}/{record_id}/history", json={"reason": "复核 (review)"})


def evidence(api: Api, user: str, kind: str, record_id: str) -> Any:
    return api.post(user, f"/api/forensics/{kind}/{record_id}/evidence", json={"reason": "移送审查 (hand-over)"})


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with embedded_api(data_dir=tmp_path_factory.mktemp("history")) as api:
        ids = record_case(api.platform.apps, api.sync)
        api.platform.checkpoint()
        yield {"api": api, **ids}


def services_of(body: dict[str, Any]) -> set[str]:
    return {e["service"] for e in body["events"]}


def test_the_auditor_sees_the_whole_case_across_services_in_recorded_order(case: dict[str, Any]) -> None:
    api, round_id = case["api"], case["round_id"]
    answered = history(api, "sun.audit", "round", round_id)
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["kind"] == "InspectionRound" and body["service"] == "inspections"
    assert services_of(body) == {"inspections", "clues", "ledgers", "units"}
    events = body["events"]
    assert [e["recorded_at"] for e in events] == sorted(e["recorded_at"] for e in events)
    own = [e for e in events if e["stream_id"] == round_id]
    assert own and all(e["why"] == "stream" for e in own) and own[0]["type"].endswith("Recorded")
    assert {e["why"] for e in events if e["service"] != "inspections"} <= {"causation", "correlation"}
    clue_events = [e for e in events if e["service"] == "clues"]
    assert [e["stream_id"] for e in clue_events] == [case["clue_id"]]
    assert all(e["actor"]["user"] and e["hash"] and e["description"]["zh"] and e["description"]["en"]
               for e in events)
    assert not any(secret in answered.text for secret in SECRETS), "clue content left the clues service"


def test_a_clue_outside_the_compartment_is_left_out_without_a_trace(case: dict[str, Any]) -> None:
    api, round_id = case["api"], case["round_id"]
    staff = history(api, "zhang.wei", "round", round_id)  # group-mee, not in the clue's compartment
    assert staff.status_code == 200, staff.text
    assert services_of(staff.json()) == {"inspections", "ledgers"}
    assert case["clue_id"] not in staff.text
    assert not any(e["type"].startswith("Clue.") for e in staff.json()["events"])
    member = history(api, "zhou.min", "round", round_id)  # in the compartment: sees the referral, no content
    assert member.status_code == 200, member.text
    assert services_of(member.json()) == {"inspections", "clues", "ledgers", "units"}
    assert not any(secret in member.text for secret in SECRETS)
    auditor = history(api, "sun.audit", "round", round_id).json()
    def of_the_clue(e: dict[str, Any]) -> bool:  # the units' copy of the clue's final codes is the clue's too
        return e["service"] == "clues" or e["type"].startswith("ClueOutcome.")

    assert [e for e in auditor["events"] if not of_the_clue(e)] == staff.json()["events"]
    assert any(e["type"].startswith("ClueOutcome.") for e in auditor["events"])


def test_whoever_may_not_see_the_case_gets_the_missing_records_404_and_is_recorded(case: dict[str, Any]) -> None:
    api, round_id = case["api"], case["round_id"]
    missing = history(api, "zhou.other", "round", str(uuid.uuid4()))
    assert missing.status_code == 404
    for outsider in ("zhou.other", "chen.hq", "zhao.unit"):
        refused = history(api, outsider, "round", round_id)
        assert refused.status_code == 404, (outsider, refused.text)
        assert refused.json() == missing.json()
    assert history(api, "sun.audit", "directive", round_id).status_code == 404  # not a directive
    clue = history(api, "zhang.wei", "clue", case["clue_id"])
    assert clue.status_code == 404 and clue.json() == missing.json()
    assert history(api, "zhou.min", "clue", case["clue_id"]).status_code == 200
    no_reason = api.post("sun.audit", f"/api/forensics/round/{round_id}/history", json={"reason": " "})
    assert no_reason.status_code == 422
    recorded = uses(api, "inspections")
    assert ("zhou.other", "history", "refused", round_id) in recorded
    assert ("chen.hq", "history", "refused", round_id) in recorded
    assert ("sun.audit", "history", "allowed", round_id) in recorded
    assert ("zhang.wei", "history", "refused", case["clue_id"]) in uses(api, "clues")


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_bundle", ROOT / "tools" / "verify_bundle.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_auditor_downloads_a_bundle_that_verifies_stand_alone(case: dict[str, Any]) -> None:
    api, round_id = case["api"], case["round_id"]
    downloaded = evidence(api, "sun.audit", "round", round_id)
    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.headers["content-type"] == "application/zip"
    assert f"evidence-{round_id}.zip" in downloaded.headers["content-disposition"]
    tool = load_tool()
    public_key = api.platform.keys.checkpoint_public_key_b64()
    report = tool.verify(downloaded.content, public_key)
    assert report["intact"], report
    with zipfile.ZipFile(io.BytesIO(downloaded.content)) as archive:
        assert "sun.audit" in archive.read("report.txt").decode()
        checkpoints = json.loads(archive.read("checkpoints.json"))
        events = [json.loads(line) for line in archive.read("events.jsonl").splitlines()]
    # the checkpoints show the heads of the case's streams, proven against the signed root: no other stream's id
    case_streams = {(e["service"], e["stream_id"]) for e in events}
    assert checkpoints and all(c["heads_root"] and c["proofs"] for c in checkpoints)
    assert {(c["service"], stream) for c in checkpoints for stream in c["heads"]} <= case_streams
    assert case["unrelated"] not in json.dumps(checkpoints)
    assert report["covered"] == len(events) and report["uncovered"] == 0
    changed = bytearray(downloaded.content)
    changed[len(changed) // 2] ^= 0x01
    try:
        assert not tool.verify(bytes(changed), public_key)["intact"]
    except tool.Failed:
        pass
    assert ("sun.audit", "evidence_export", "allowed", round_id) in uses(api, "inspections")


def test_only_the_auditor_exports_a_clues_bundle_which_holds_its_content(case: dict[str, Any]) -> None:
    api, clue_id = case["api"], case["clue_id"]
    missing = evidence(api, "li.na", "clue", str(uuid.uuid4()))
    assert missing.status_code == 404
    for user in ("li.na", "zhou.min", "zhang.wei", "chen.hq"):  # the compartment included: the auditor only
        refused = evidence(api, user, "clue", clue_id)
        assert refused.status_code == 404, (user, refused.text)
        assert refused.json() == missing.json()
        assert (user, "evidence_export", "refused", clue_id) in uses(api, "clues")
    for user in ("zhang.wei", "li.na"):  # a group's own round: still the auditor only
        assert evidence(api, user, "round", case["round_id"]).status_code == 404
    bundle = evidence(api, "sun.audit", "clue", clue_id)
    assert bundle.status_code == 200, bundle.text
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert "王某某" in archive.read("events.jsonl").decode("utf-8")  # the plain fields the hashes cover
    assert load_tool().verify(bundle.content, api.platform.keys.checkpoint_public_key_b64())["intact"]


def test_an_in_memory_platform_does_not_offer_the_bundle() -> None:
    with embedded_api() as api:
        registered = api.post("zhang.wei", "/api/ledgers/directives", json={
            "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中发〔2025〕9号",
            "issuer": "中共中央", "title": "关于全面推进美丽中国建设的意见", "issued_on": "2025-01-02",
            "received_on": "2025-01-03", "lead_department": "综合司"})
        assert registered.status_code == 201, registered.text
        answered = evidence(api, "sun.audit", "directive", registered.json()["directive_id"])
        assert answered.status_code == 503 and answered.json()["error"]["code"] == "service_unavailable"
        assert answered.headers["Retry-After"]
        # whoever may not export learns nothing more: the missing record's 404 comes first
        assert evidence(api, "sun.audit", "round", str(uuid.uuid4())).status_code == 404


def test_a_services_part_of_a_history_answers_the_same_in_process_and_over_http() -> None:
    from authz import Permission, Principal
    from services.ledgers.application import LedgersApplication
    from services.ledgers.interface import ForensicHistory, RegisterDirective
    from tests.both_modes import both_modes, outcome

    staff = Principal("zhang.wei", "张伟", "group-mee", "group", frozenset({"group_staff"}), group_id="group-mee",
                      supervised_unit_ids=frozenset({"unit-mee"}))
    other = Principal("zhou.other", "周涛", "group-mwr", "group", frozenset({"group_staff"}), group_id="group-mwr",
                      supervised_unit_ids=frozenset({"unit-mwr"}))
    app = LedgersApplication()
    clients = both_modes(app)
    directive_id = clients["embedded"].run(RegisterDirective(
        group_id="group-mee", unit_id="unit-mee", reference_number="中发〔2025〕1号", issuer="国务院",
        title="关于推进美丽中国建设的意见", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
        lead_department="综合司"), Permission(staff, "ledgers.register_directive")).directive_id
    ask = ForensicHistory(record_id=directive_id, reason="复核")
    parts = {mode: client.run(ask, Permission(staff, "forensics.history")) for mode, client in clients.items()}
    assert parts["embedded"] == parts["distributed"]
    assert parts["embedded"].kind == "Directive" and parts["embedded"].events[0].why == "stream"
    # without the record: what correlates, among the records the caller may read only
    related = ForensicHistory(correlation_ids=parts["embedded"].correlations)
    for mode, client in clients.items():
        assert client.run(related, Permission(other, "forensics.history")).events == [], mode
        found = client.run(related, Permission(staff, "forensics.history")).events
        assert [e.model_copy(update={"why": "stream"}) for e in found] == parts["embedded"].events, mode
        assert {e.why for e in found} == {"correlation"}
    def refused(client: Any) -> tuple[int, str]:
        return outcome(lambda: client.run(ask, Permission(other, "forensics.history")))

    refusals = {mode: refused(client) for mode, client in clients.items()}
    assert refusals["embedded"] == refusals["distributed"] == (404, "not_found")
