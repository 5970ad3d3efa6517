"""Leakage suite over HTTP: outside a clue's compartment, nobody learns its content, existence or counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from events.sealed import seal
from tests.api_helpers import Api, embedded_api

SUBJECT = "诸葛映雪"
POST = "固体废物与化学品司副司长"
SUMMARY = "反映其违规插手危废处置资质审批并收受企业好处费"
NOTE = "政治上看，涉及生态环境领域权力寻租，损害政治生态"
KEY_SUBJECT = "端木青山"
SECRETS = (SUBJECT, POST, SUMMARY, NOTE, KEY_SUBJECT, "研判理由甲乙丙")

OUTSIDERS = {
    "zhou.other": "another group's staff",
    "he.leader2": "another group's leader",
    "zhao.unit": "the unit's discipline-committee liaison",
    "ma.party": "the unit's party leadership group",
    "qian.unit2": "another unit",
    "liu.team": "inspection team leader without referral",
    "xu.team": "inspection team member",
    "chen.hq": "HQ without compartment",
    "wang.qiang": "deputy leader of the same group, not in the compartment",
}


def clue_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit_id": "unit-mee", "source": "petition", "subject_name": SUBJECT, "subject_unit": "固体废物与化学品司",
        "subject_post": POST, "key_person": False, "categories": ["integrity", "duty_illegality"],
        "summary": SUMMARY, "assigned": ["zhou.min"], "received_on": "2025-03-03",
    }
    body.update(overrides)
    return body


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Api, str, str]]:
    with embedded_api() as api:
        created = api.post("zhang.wei", "/api/clues/clues", json=clue_body())
        assert created.status_code == 201, created.text
        clue_id = created.json()["clue_id"]
        assert api.post("zhang.wei", f"/api/clues/clues/{clue_id}/assessments",
                        json={"political_analysis": NOTE}).status_code == 200
        assert api.post("zhang.wei", f"/api/clues/clues/{clue_id}/proposal",
                        json={"disposition": "inquiry", "reason": "研判理由甲乙丙"}).status_code == 200
        key = api.post("li.na", "/api/clues/clues", json=clue_body(subject_name=KEY_SUBJECT, key_person=True))
        assert key.status_code == 201
        api.sync()
        yield api, clue_id, key.json()["clue_id"]


def clue_endpoints(clue_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = f"/api/clues/clues/{clue_id}"
    return [
        ("GET", base, None),
        ("POST", f"{base}/read", {"reason": "想了解"}),
        ("GET", f"{base}/disclosures", None),
        ("POST", f"{base}/accept", {"assigned": ["zhou.min"]}),
        ("POST", f"{base}/members", {"user": "zhou.other", "reason": "加入"}),
        ("POST", f"{base}/members/remove", {"user": "zhou.min", "reason": "移出"}),
        ("POST", f"{base}/documents", {"title": "材料", "reference": "", "sha256": "a" * 64}),
        ("POST", f"{base}/assessments", {"political_analysis": "分析"}),
        ("POST", f"{base}/screenings", {"held_on": "2025-03-04", "participants": [{"user": "x", "conclusion": "y"}],
                                        "conclusion": "z"}),
        ("POST", f"{base}/proposal", {"disposition": "close", "reason": "了结"}),
        ("POST", f"{base}/decision", {"approved": True}),
        ("POST", f"{base}/inquiry", {"form": "letter", "held_on": "2025-03-04", "summary": "发函"}),
        ("POST", f"{base}/inquiry-reply", {"received_on": "2025-03-04", "summary": "回复"}),
        ("POST", f"{base}/verification", {"reported_on": "2025-03-04", "summary": "初核", "substantiated": True}),
        ("POST", f"{base}/conclusion", {"result": "closed", "reason": "了结"}),
        ("POST", f"{base}/reopen", {"reason": "重新研判"}),
        ("POST", f"{base}/joint-screening", {"unit_users": ["zhao.unit"], "parts": ["allegations"], "reason": "排查"}),
        ("POST", f"{base}/joint-screening/conclusion", {"conclusion": "结论"}),
        ("POST", f"{base}/joint-screening/read", {"reason": "排查"}),
    ]


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
        assert secret.encode("unicode_escape").decode() not in text


@pytest.mark.parametrize("outsider", sorted(OUTSIDERS))
def test_every_clue_endpoint_answers_not_found_to_outsiders(world: tuple[Api, str, str], outsider: str) -> None:
    api, clue_id, key_clue_id = world
    version_before = api.platform.apps["clues"].load(clue_id).version
    answers: dict[str, list[str]] = {}
    for target in (clue_id, key_clue_id, "6b0a3c1e-0000-4000-8000-000000000000"):
        for method, path, body in clue_endpoints(target):
            response = api.request(method, outsider, path, json=body)
            assert response.status_code == 404, (outsider, method, path, response.status_code, response.text)
            assert_no_secret(response.text)
            assert target not in response.text
            answers.setdefault(target, []).append(response.text)
    # An existing clue answers exactly like a clue that does not exist.
    assert answers[clue_id] == answers[key_clue_id] == answers["6b0a3c1e-0000-4000-8000-000000000000"]
    assert api.platform.apps["clues"].load(clue_id).version == version_before
    readers = {r["reader"] for r in api.platform.apps["clues"].list_disclosures(clue_id)}
    assert outsider not in readers


@pytest.mark.parametrize("outsider", sorted(OUTSIDERS))
def test_lists_and_queues_show_outsiders_nothing(world: tuple[Api, str, str], outsider: str) -> None:
    api, clue_id, key_clue_id = world
    for path in ("/api/clues/clues", "/api/clues/intake", "/api/clues/recommendations"):
        response = api.get(outsider, path)
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        assert clue_id not in response.text and key_clue_id not in response.text
        assert_no_secret(response.text)


@pytest.mark.parametrize("unit_user", ["zhao.unit", "ma.party", "qian.unit2"])
def test_units_get_not_even_counts(world: tuple[Api, str, str], unit_user: str) -> None:
    api, _, _ = world
    assert api.get(unit_user, "/api/clues/statistics").status_code == 403
    assert api.get(unit_user, "/api/clues/clues").status_code == 403


def test_hq_sees_statistics_but_no_content(world: tuple[Api, str, str]) -> None:
    api, clue_id, _ = world
    api.sync()
    stats = api.get("chen.hq", "/api/clues/statistics", params={"group_id": "group-mee"})
    assert stats.status_code == 200
    assert stats.json()["item"]["total"] >= 2
    assert_no_secret(stats.text)
    assert clue_id not in stats.text
    other_group = api.get("zhou.other", "/api/clues/statistics").json()
    assert other_group["item"]["total"] == 0
    # a member of the group outside both compartments counts neither clue
    assert api.get("wang.qiang", "/api/clues/statistics").json()["item"]["total"] == 0


def test_every_get_route_of_the_platform_is_free_of_clue_content(world: tuple[Api, str, str]) -> None:
    """Whatever read models exist (dashboards, portals, packages), no outsider finds clue content in them."""
    api, clue_id, key_clue_id = world
    from gateway.api import routers

    paths = sorted({
        route.path for router in routers() for route in router.routes
        if "GET" in (getattr(route, "methods", None) or set())
    })
    assert "/api/clues/statistics" in paths
    for outsider in OUTSIDERS:
        for template in paths:
            path = re.sub(r"\{clue_id\}", clue_id, template)
            path = re.sub(r"\{[^}]+\}", "x", path)
            response = api.get(outsider, path)
            assert response.status_code < 500, (outsider, path, response.text)
            assert_no_secret(response.text)
            assert clue_id not in response.text and key_clue_id not in response.text, (outsider, path)


def test_members_work_and_reads_are_recorded(world: tuple[Api, str, str]) -> None:
    api, clue_id, _ = world
    read = api.post("zhou.min", f"/api/clues/clues/{clue_id}/read", json={"reason": "准备谈话", "parts": ["subject"]})
    assert read.status_code == 200, read.text
    assert read.json()["subject"]["name"] == SUBJECT
    assert "allegations" not in read.json()
    assert api.post("zhou.min", f"/api/clues/clues/{clue_id}/read", json={"reason": ""}).status_code == 422
    reads = api.get("li.na", f"/api/clues/clues/{clue_id}/disclosures")
    assert reads.status_code == 200
    assert ("zhou.min", ["subject"], "准备谈话") in [(r["reader"], r["parts"], r["reason"]) for r in reads.json()]
    assert api.get("sun.audit", f"/api/clues/clues/{clue_id}/disclosures").status_code == 200
    assert api.get("zhou.min", f"/api/clues/clues/{clue_id}/disclosures").status_code == 404
    assert api.post("sun.audit", f"/api/clues/clues/{clue_id}/read", json={"reason": "审计"}).status_code == 404


def test_staff_cannot_decide_and_outsiders_cannot_be_added(world: tuple[Api, str, str]) -> None:
    api, _, _ = world
    created = api.post("zhang.wei", "/api/clues/clues", json=clue_body())
    clue_id = created.json()["clue_id"]
    api.post("zhang.wei", f"/api/clues/clues/{clue_id}/assessments", json={"political_analysis": NOTE})
    api.post("zhang.wei", f"/api/clues/clues/{clue_id}/proposal", json={"disposition": "hold", "reason": "暂存"})
    assert api.post("zhang.wei", f"/api/clues/clues/{clue_id}/decision", json={"approved": True}).status_code == 404
    for user in ("zhao.unit", "zhou.other", "liu.team"):
        added = api.post("li.na", f"/api/clues/clues/{clue_id}/members", json={"user": user, "reason": "加入"})
        assert added.status_code == 422, (user, added.text)
    assert api.post("li.na", f"/api/clues/clues/{clue_id}/members",
                    json={"user": "chen.hq", "reason": "委机关督办"}).status_code == 200
    hq_read = api.post("chen.hq", f"/api/clues/clues/{clue_id}/read", json={"reason": "督办"})
    assert hq_read.status_code == 200 and hq_read.json()["subject"]["name"] == SUBJECT
    assert api.post("li.na", f"/api/clues/clues/{clue_id}/decision", json={"approved": True}).status_code == 200


def test_joint_screening_over_http(world: tuple[Api, str, str]) -> None:
    api, _, key_clue_id = world
    refused = api.post("li.na", f"/api/clues/clues/{key_clue_id}/joint-screening",
                       json={"unit_users": ["zhao.unit"], "parts": ["allegations"], "reason": "联合排查"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "joint_screening_of_unit_leadership"
    clue_id = api.post("zhang.wei", "/api/clues/clues", json=clue_body(subject_name="宇文某")).json()["clue_id"]
    assert api.post("li.na", f"/api/clues/clues/{clue_id}/joint-screening",
                    json={"unit_users": ["ma.party"], "parts": ["allegations"], "reason": "排查"}).status_code == 422
    assert api.post("li.na", f"/api/clues/clues/{clue_id}/joint-screening",
                    json={"unit_users": ["zhao.unit"], "parts": ["allegations"], "reason": "排查"}).status_code == 200
    shared = api.post("zhao.unit", f"/api/clues/clues/{clue_id}/joint-screening/read", json={"reason": "核对"})
    assert shared.status_code == 200 and "subject" not in shared.json() and "宇文某" not in shared.text
    assert api.post("ma.party", f"/api/clues/clues/{clue_id}/joint-screening/read",
                    json={"reason": "看看"}).status_code == 404
    assert api.get("zhao.unit", f"/api/clues/clues/{clue_id}").status_code == 404


def test_referral_reaches_the_leaders_intake_and_nobody_else(world: tuple[Api, str, str]) -> None:
    api, _, _ = world
    clues = api.platform.apps["clues"]
    from events.inspections import ClueReferred
    from events.sealed import public_key_of
    from tests.factories import make_envelope, payload_of

    public = public_key_of(clues.env.get("CLUES_SEALING_PRIVATE_KEY"))
    payload = ClueReferred(referral_id="ref-http-1", round_id="round-x", activity_id=None,
                           sealed_content=seal({"subject_name": "慕容秋", "subject_unit": "", "subject_post": "",
                                                "key_person": False, "categories": ["work"],
                                                "summary": "移交摘要"}, public))
    envelope = make_envelope(payload, service="inspections", position=10_000)
    clues.process_integration_event(envelope, payload_of(envelope))
    api.sync()
    queue = api.get("li.na", "/api/clues/intake")
    assert queue.status_code == 200 and [q["referral_id"] for q in queue.json()["items"]] == ["ref-http-1"]
    assert queue.json()["items"][0]["round_id"] == "round-x"
    assert "慕容秋" not in queue.text
    assert api.get("zhang.wei", "/api/clues/intake").status_code == 403
    assert api.get("he.leader2", "/api/clues/intake").json()["items"] == []
    clue_id = queue.json()["items"][0]["clue_id"]
    assert api.post("he.leader2", f"/api/clues/clues/{clue_id}/accept",
                    json={"assigned": ["zhou.other"]}).status_code == 404
    accepted = api.post("li.na", f"/api/clues/clues/{clue_id}/accept", json={"assigned": ["zhou.min"]})
    assert accepted.status_code == 200
    after = {"after": f"clues:{accepted.json()['position']}"}
    assert api.get("li.na", "/api/clues/intake", params=after).json()["items"] == []
    assert clue_id in [c["clue_id"] for c in api.get("zhou.min", "/api/clues/clues", params=after).json()["items"]]
    assert api.post("zhou.min", f"/api/clues/clues/{clue_id}/read",
                    json={"reason": "受理"}).json()["subject"]["name"] == "慕容秋"


def test_recommendations_reach_the_unit_only_once_issued(world: tuple[Api, str, str]) -> None:
    api, clue_id, _ = world
    body = {"unit_id": "unit-mee", "reference_number": "驻部组建议〔2025〕7号", "title": "关于危废资质审批廉政风险防控的建议",
            "problems": ["审批自由裁量权过大"], "recommendations": ["制定裁量基准"], "responsible_department": "固体废物与化学品司",
            "deadline": "2025-06-30", "source_clue_ids": [clue_id]}
    assert api.post("zhou.other", "/api/clues/recommendations", json=body).status_code in (403, 404)
    created = api.post("zhang.wei", "/api/clues/recommendations", json=body)
    assert created.status_code == 201, created.text
    rec_id = created.json()["recommendation_id"]
    drafted = {"after": f"clues:{created.json()['position']}"}

    def listed(user: str, params: dict[str, str]) -> list[str]:
        return [r["recommendation_id"] for r in api.get(user, "/api/clues/recommendations", params=params).json()["items"]]

    assert listed("zhou.min", drafted) == [rec_id]  # the group sees its draft
    assert listed("zhao.unit", drafted) == [] and listed("chen.hq", drafted) == []
    assert api.get("zhao.unit", f"/api/clues/recommendations/{rec_id}").status_code == 404
    assert api.post("zhang.wei", f"/api/clues/recommendations/{rec_id}/issue", json={}).status_code == 403
    issued = api.post("li.na", f"/api/clues/recommendations/{rec_id}/issue", json={})
    assert issued.status_code == 200
    after = {"after": f"clues:{issued.json()['position']}"}
    unit_view = api.get("zhao.unit", f"/api/clues/recommendations/{rec_id}")
    assert unit_view.status_code == 200 and clue_id not in unit_view.text
    assert listed("zhao.unit", after) == [rec_id] and listed("chen.hq", after) == [rec_id]
    listed_view = api.get("zhao.unit", "/api/clues/recommendations", params=after).json()["items"][0]
    assert {k: v for k, v in listed_view.items() if k != "version"} == \
        {k: v for k, v in unit_view.json().items() if k != "version"}
    assert clue_id not in api.get("zhao.unit", "/api/clues/recommendations", params=after).text
    assert api.get("qian.unit2", f"/api/clues/recommendations/{rec_id}").status_code == 404
    assert listed("qian.unit2", after) == [] and listed("zhou.other", after) == []


def test_a_clue_is_registered_only_for_a_supervised_unit_and_with_people_who_may_know_it(
    world: tuple[Api, str, str]
) -> None:
    api, _, _ = world
    for assigned in (["zhou.other"], ["zhao.unit"], ["nobody"]):
        refused = api.post("zhang.wei", "/api/clues/clues", json=clue_body(assigned=assigned))
        assert refused.status_code == 422, (assigned, refused.text)
        assert refused.json()["error"]["code"] == "not_allowed_in_compartment"
    elsewhere = api.post("zhang.wei", "/api/clues/clues", json=clue_body(unit_id="unit-mwr"))
    assert elsewhere.status_code == 403 and elsewhere.json()["error"]["code"] == "forbidden"
    assert api.post("chen.hq", "/api/clues/clues", json=clue_body()).status_code == 403
    accepted = api.post("zhang.wei", "/api/clues/clues", json=clue_body(assigned=["zhou.min", "chen.hq"]))
    assert accepted.status_code == 201, accepted.text
