"""Forensic replay over HTTP: the auditor anywhere, a group its own records, a clue only its compartment; every
use — a refusal included — is recorded with who and why; a refused replay is the 404 of a missing record."""

from __future__ import annotations

import uuid
from typing import Any

from services.common.forensic_log import forensic_log_id
from tests.api_helpers import Api, embedded_api
from tests.unit.clues.test_api_leakage import SECRETS, clue_body
from tests.unit.gateway.test_vertical_slice_embedded import DIRECTIVE, STAGE


def uses(api: Api, service: str) -> list[dict[str, Any]]:
    app = api.platform.apps[service]
    return [dict(vars(e)) for e in app.repository.event_store.get(forensic_log_id(service))
            if type(e).__name__ == "Used"]


def replay(api: Api, user: str, kind: str, record_id: str, **body: Any) -> Any:
    return api.post(user, f"/api/forensics/{kind}/{record_id}/replay", json={"reason": "复核 (review)", **body})


def test_directive_replay_for_the_auditor_and_the_group_not_for_others() -> None:
    with embedded_api() as api:
        directive_id = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE).json()["directive_id"]
        assert api.post("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages", json=STAGE).status_code == 201
        shown = api.get("zhang.wei", f"/api/ledgers/directives/{directive_id}").json()

        audited = replay(api, "sun.audit", "directive", directive_id)
        assert audited.status_code == 200, audited.text
        body = audited.json()
        assert body["state"] == shown and body["kind"] == "Directive"
        assert [e["type"].rpartition(".")[2] for e in body["history"]][:1] == ["Registered"]
        assert all(e["counted"] and e["hash"] for e in body["history"])

        first = replay(api, "zhang.wei", "directive", directive_id, as_of_version=1, compare_version=2)
        assert first.status_code == 200, first.text
        assert first.json()["state"]["stages"] == {} and {c["field"] for c in first.json()["diff"]} >= {
            "stages.relay_study"}

        for outsider in ("zhou.other", "chen.hq", "zhao.unit", "liu.team"):
            refused = replay(api, outsider, "directive", directive_id)
            assert refused.status_code == 404, (outsider, refused.text)
            assert refused.json() == replay(api, outsider, "directive", str(uuid.uuid4())).json()
        assert replay(api, "sun.audit", "clue", directive_id).status_code == 404  # not a clue
        no_reason = api.post("sun.audit", f"/api/forensics/directive/{directive_id}/replay", json={"reason": " "})
        assert no_reason.status_code == 422

        recorded = uses(api, "ledgers")
        who = [(u["actor"]["user"], u["outcome"]) for u in recorded if u["record_id"] == directive_id]
        assert ("sun.audit", "allowed") in who and ("zhou.other", "refused") in who and ("chen.hq", "refused") in who
        assert all(u["reason"] == "复核 (review)" for u in recorded)


def test_clue_replay_only_for_its_compartment_and_the_auditor_and_every_refusal_is_recorded() -> None:
    with embedded_api() as api:
        created = api.post("zhang.wei", "/api/clues/clues", json=clue_body())
        assert created.status_code == 201, created.text
        clue_id = created.json()["clue_id"]

        for outsider in ("wang.qiang", "zhou.other", "chen.hq"):
            refused = replay(api, outsider, "clue", clue_id)
            assert refused.status_code == 404, (outsider, refused.text)
            assert refused.json() == replay(api, outsider, "clue", str(uuid.uuid4())).json()
        for reader in ("sun.audit", "zhou.min"):
            allowed = replay(api, reader, "clue", clue_id)
            assert allowed.status_code == 200, (reader, allowed.text)
            assert not any(secret in allowed.text for secret in SECRETS), "clue content left the service"
            assert allowed.json()["state"]["clue_id"] == clue_id

        recorded = [(u["actor"]["user"], u["outcome"], u["reason"]) for u in uses(api, "clues")
                    if u["record_id"] == clue_id]
        assert ("wang.qiang", "refused", "复核 (review)") in recorded
        assert ("sun.audit", "allowed", "复核 (review)") in recorded and ("zhou.min", "allowed", "复核 (review)") in \
            recorded


def test_the_replay_query_answers_the_same_in_process_and_over_http() -> None:
    from datetime import date

    from authz import Permission, Principal
    from services.ledgers.application import LedgersApplication
    from services.ledgers.interface import ForensicReplay, RegisterDirective
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
    results = {mode: client.run(ForensicReplay(record_id=directive_id, reason="复核"),
                                Permission(staff, "forensics.replay")) for mode, client in clients.items()}
    embedded, distributed = results["embedded"], results["distributed"]
    assert embedded.state == distributed.state and embedded.history == distributed.history
    assert distributed.uses == embedded.uses + 1
    refusals = {mode: outcome(lambda c=client: c.run(ForensicReplay(record_id=directive_id, reason="复核"),
                                                     Permission(other, "forensics.replay")))
                for mode, client in clients.items()}
    assert refusals["embedded"][1] == refusals["distributed"][1] == "not_found"
    assert refusals["distributed"][0] == 404
