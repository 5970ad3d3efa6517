"""A whole inspection round in distributed mode: before, during and after, over HTTP and Kafka, across processes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import httpx
import pytest

from tests.conftest import read_topic
from tests.e2e.conftest import Cluster, IdentityProvider

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 30.0, every: float = 0.2) -> T:
    """Poll `probe` until it returns something other than None (the other processes are eventually consistent)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:.0f}s still no {what}")
        time.sleep(every)


class Gateway:
    """An HTTP client of the gateway acting as a demo user with a token from the identity provider."""

    def __init__(self, base: str, provider: IdentityProvider) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.provider = provider

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.provider.token(user)}"}

    def get(self, user: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers(user), **kwargs)

    def post(self, user: str, path: str, json: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.post(path, headers=self.headers(user), json=json)

    def ok(self, user: str, path: str, json: dict[str, Any] | None = None, status: int = 200) -> dict[str, Any]:
        response = self.post(user, path, json)
        assert response.status_code == status, f"{user} POST {path}: {response.status_code} {response.text}"
        body: dict[str, Any] = response.json()
        return body


def messages_mentioning(bootstrap: str, topic: str, *texts: str) -> list[tuple[int, str]]:
    """(offset, text) for every message of the topic whose key, value or headers contain one of the texts."""
    hits: list[tuple[int, str]] = []
    for message in read_topic(bootstrap, topic):
        raw = b"".join([message.key or b"", message.value or b"", *(v or b"" for _, v in message.headers or [])])
        hits.extend((message.offset, text) for text in texts if text.encode("utf-8") in raw)
    return hits


def test_a_round_runs_before_during_and_after_across_processes(
    cluster: tuple[Cluster, str], identity_provider: IdentityProvider, distributed: dict[str, str]
) -> None:
    _, base = cluster
    api = Gateway(base, identity_provider)
    today = date.today()

    # -- the round: recorded by HQ, opened by the group; only then the team sees it ------------------------
    round_id = api.ok("chen.hq", "/api/inspections/rounds", status=201, json={
        "group_id": "group-mee", "unit_id": "unit-mee", "title": "中央第三巡视组对生态环境部党组巡视",
        "team_id": "team-3", "member_ids": ["liu.team", "xu.team"],
        "before_start": str(today), "before_end": str(today + timedelta(days=6)),
        "during_start": str(today + timedelta(days=7)), "during_end": str(today + timedelta(days=60)),
        "after_start": str(today + timedelta(days=61)), "after_end": str(today + timedelta(days=180)),
    })["round_id"]
    path = f"/api/inspections/rounds/{round_id}"
    assert api.get("xu.team", path).status_code == 404  # planned, not open: the team does not know it yet
    opened = api.ok("zhang.wei", f"{path}/open")
    seen = api.get("xu.team", path)
    assert seen.status_code == 200 and seen.json()["is_open"], seen.text
    rounds = api.get("xu.team", "/api/inspections/rounds", params={"after": f"inspections:{opened['position']}"})
    assert round_id in [r["round_id"] for r in rounds.json()["items"]], rounds.text
    assert api.get("zhao.unit", path).status_code == 404  # the unit never sees the round itself

    # -- before: a little history, then a frozen briefing package that reflects it -------------------------
    directive = api.ok("zhang.wei", "/api/ledgers/directives", status=201, json={
        "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中发〔2025〕5号",
        "issuer": "中共中央", "title": "关于全面推进美丽中国建设的意见", "issued_on": "2025-01-02",
        "received_on": "2025-01-03", "lead_department": "综合司"})
    directive_id = directive["directive_id"]
    stage = api.ok("zhang.wei", f"/api/ledgers/directives/{directive_id}/stages", status=201, json={
        "stage": "relay_study", "done_on": "2025-01-04", "summary": "部党组会议传达学习", "done_by": "部党组"})

    def handoff_reflects_the_stage() -> dict[str, int] | None:
        # the inspection-handoff projector is its own process: wait until it consumed the ledgers' events
        ready = api.http.get("/readyz", headers={"X-Paizhu-Operator-Token": distributed["PAIZHU_SERVICE_TOKEN"]})
        positions: dict[str, int] = ready.json()["checks"].get("inspection_handoff", {})
        return positions if positions.get("ledgers", 0) >= stage["position"] else None

    eventually(handoff_reflects_the_stage, "ledgers position in the inspection-handoff read model")
    frozen = api.ok("zhang.wei", f"{path}/briefing-packages", status=201)
    assert frozen["positions"]["ledgers"] >= stage["position"]
    ledger = frozen["package"]["ledger"]
    assert directive_id in ledger["directives"], ledger
    assert [s["stage"] for s in ledger["directives"][directive_id]["stages"]] == ["relay_study"]

    verified = api.get("xu.team", f"{path}/briefing-packages/{frozen['package_id']}")
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert body["content_hash"] == frozen["content_hash"]
    assert body["rebuilt_hash"] == frozen["content_hash"] and body["verified"] is True
    assert body["positions"] == frozen["positions"] and body["package"] == frozen["package"]

    # -- during: a referral becomes a clue in the clues service, seen only by the group's leader ------------
    subject = f"欧阳{uuid.uuid4().hex[:6]}"
    allegation = f"反映其在环评审批中收受企业礼金（{uuid.uuid4().hex[:6]}）"
    referral_id = api.ok("xu.team", f"{path}/referrals", status=201, json={
        "subject_name": subject, "subject_unit": "生态环境部某司", "subject_post": "副司长", "key_person": True,
        "categories": ["integrity", "work"], "summary": allegation})["referral_id"]

    def referred_clue() -> str | None:
        queue = api.get("li.na", "/api/clues/intake")
        assert queue.status_code == 200, queue.text
        return next((c["clue_id"] for c in queue.json()["items"] if c["referral_id"] == referral_id), None)

    clue_id = eventually(referred_clue, "clue from the referral in the group leader's intake queue")
    api.ok("li.na", f"/api/clues/clues/{clue_id}/accept", json={"assigned": ["zhang.wei"]})
    facts = api.get("li.na", f"/api/clues/clues/{clue_id}")
    assert facts.status_code == 200 and facts.json()["source"] == "inspection_referral", facts.text
    content = api.ok("li.na", f"/api/clues/clues/{clue_id}/read",
                     json={"reason": "研判巡视组移交线索", "parts": ["subject", "allegations"]})
    assert subject in str(content) and allegation in str(content)  # the sealed content was opened intact
    for outsider in ("xu.team", "liu.team", "zhao.unit"):
        assert api.get(outsider, f"/api/clues/clues/{clue_id}").status_code == 404, outsider
    assert api.get("zhao.unit", "/api/clues/intake").status_code in (403, 404)

    bootstrap = distributed["PAIZHU_KAFKA_BOOTSTRAP"]
    assert messages_mentioning(bootstrap, "paizhu.inspections.v1", referral_id), "the referral is not on the topic"
    for topic in ("paizhu.inspections.v1", "paizhu.clues.v1"):
        assert messages_mentioning(bootstrap, topic, subject, allegation) == [], f"plaintext clue content on {topic}"

    # -- after: a finding becomes a problem-list item, and the unit sees the item addressed to it ------------
    finding_id = api.ok("xu.team", f"{path}/findings", status=201, json={
        "title": "污染防治攻坚战部署层层加码", "description": "部分司局在落实中层层加码、简单化处理",
        "problem_type": "escalating_targets", "responsible_department": "大气环境司",
        "deadline": str(today + timedelta(days=90))})["finding_id"]
    assert api.post("xu.team", f"{path}/findings/{finding_id}/hand-over").status_code == 403  # the leader hands over
    api.ok("liu.team", f"{path}/findings/{finding_id}/hand-over")

    def problem_item() -> dict[str, Any] | None:
        items = api.get("zhang.wei", "/api/ledgers/items", params={"source": "inspection"})
        assert items.status_code == 200, items.text
        return next((i for i in items.json()["items"] if i["source_ref"] == finding_id), None)

    item = eventually(problem_item, "problem-list item from the handed-over finding")
    assert item["list_kind"] == "problem" and item["unit_id"] == "unit-mee", item
    assert item["title"] == "污染防治攻坚战部署层层加码"

    def addressed_item() -> list[dict[str, Any]] | None:
        addressed = api.get("zhao.unit", "/api/inspections/units/unit-mee/rectification-items")
        assert addressed.status_code == 200, addressed.text
        return [i for i in addressed.json()["items"] if i["item_id"] == finding_id] or None

    mine = eventually(addressed_item, "the rectification item in the unit's list (read model)")
    assert len(mine) == 1 and mine[0]["round_id"] == round_id and mine[0]["responsible_department"] == "大气环境司"
    assert api.get("zhao.unit", "/api/inspections/units/unit-mwr/rectification-items").status_code == 404

    # -- the round closes: the team loses access, the group keeps it -------------------------------------
    closed = api.ok("zhang.wei", f"{path}/close", json={"summary": "巡视结束，转入整改阶段"})
    after_close = {"after": f"inspections:{closed['position']}"}
    for member in ("xu.team", "liu.team"):
        assert api.get(member, path).status_code == 404, member
        assert api.get(member, f"{path}/briefing-packages/{frozen['package_id']}").status_code == 404
        rounds = api.get(member, "/api/inspections/rounds", params=after_close).json()
        assert round_id not in [r["round_id"] for r in rounds["items"]] and not rounds["freshness"]["stale"]
    assert api.post("xu.team", f"{path}/referrals", json={
        "subject_name": "另一人", "subject_unit": "某司", "categories": ["work"], "summary": "另一线索"},
    ).status_code == 404
    assert api.get("zhang.wei", path).json()["status"] == "closed"
