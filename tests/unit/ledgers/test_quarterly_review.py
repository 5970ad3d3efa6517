"""The group's quarterly review (组务会季度专题研究) and self look-back (自身回头看): rules and routes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from services.common.errors import ConflictError, InvalidInputError
from services.ledgers.application import LedgersApplication
from services.ledgers.domain.reviews import QuarterlyReview, quarter_bounds
from tests.api_helpers import Api, embedded_api
from tests.unit.ledgers import read_model as read
from tests.unit.ledgers.conftest import GROUP

MEETING: dict[str, Any] = {
    "quarter": "2025Q1",
    "meeting_on": date(2025, 3, 3),
    "chaired_by": "李娜",
    "attendees": ["李娜", "王强", "张伟", "周敏"],
    "topics": ["一季度重要指示批示落实情况", "对账发现问题的跟踪"],
    "decisions": ["对逾期事项逐项督办", "二季度开展核安全监管点穴式监督"],
    "follow_ups": [{"action": "约谈核电安全监管司负责人", "owner": "王强", "deadline": date(2025, 3, 31)}],
}
LOOK_BACK = {
    "good_practices": ["台账动态更新，对账及时"],
    "shortcomings": ["个别事项督办不够及时"],
    "causes": ["专人督办责任未压实"],
    "measures": ["每月通报督办进展"],
}


def held(app: LedgersApplication, **overrides: Any) -> str:
    review_id: str = app.record_quarterly_review(group_id=GROUP, **(MEETING | overrides))["review_id"]
    return review_id


def test_a_quarter_is_recorded_once_with_its_meeting_and_look_back(app: LedgersApplication) -> None:
    review_id = held(app)
    assert review_id == str(QuarterlyReview.create_id(GROUP, "2025Q1"))
    assert app.quarterly_review_id(GROUP, "2025q1") == review_id
    app.record_self_look_back(review_id, **LOOK_BACK)
    review = app.get_quarterly_review(review_id)
    assert review["topics"] == MEETING["topics"] and review["open_follow_ups"] == 1
    assert review["look_back"]["measures"] == ["每月通报督办进展"]
    assert review["follow_ups"][0]["deadline"] == "2025-03-31"
    with pytest.raises(ConflictError) as twice:
        held(app)
    assert twice.value.code == "review_exists"
    with pytest.raises(ConflictError) as again:
        app.record_self_look_back(review_id, **LOOK_BACK)
    assert again.value.code == "look_back_recorded"
    assert [r["quarter"] for r in read.reviews(app, group_id=GROUP)] == ["2025Q1"]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"quarter": "2025Q5"}, "bad_quarter"),
    ({"meeting_on": date(2024, 12, 30)}, "meeting_before_quarter"),
    ({"meeting_on": date(2025, 3, 4)}, "meeting_in_future"),
    ({"attendees": [" "]}, "attendees_required"),
    ({"topics": []}, "topics_required"),
    ({"decisions": []}, "decisions_required"),
    ({"follow_ups": [{"action": "整改", "owner": "", "deadline": date(2025, 3, 31)}]}, "follow_up_incomplete"),
    ({"follow_ups": [{"action": "整改", "owner": "王强", "deadline": date(2025, 3, 1)}]}, "follow_up_deadline"),
])
def test_an_incomplete_meeting_record_is_refused(app: LedgersApplication, overrides: dict[str, Any],
                                                 code: str) -> None:
    position = app.max_position()
    with pytest.raises(InvalidInputError) as refused:
        held(app, **overrides)
    assert refused.value.code == code
    assert app.max_position() == position


@pytest.mark.parametrize(("parts", "code"), [
    ({}, "findings_required"),
    ({"shortcomings": ["督办不及时"]}, "measures_required"),
    ({"shortcomings": ["督办不及时"], "causes": ["责任未压实"]}, "measures_required"),
])
def test_a_look_back_needs_findings_and_shortcomings_need_causes_and_measures(
    app: LedgersApplication, parts: dict[str, list[str]], code: str
) -> None:
    review_id = held(app)
    with pytest.raises(InvalidInputError) as refused:
        app.record_self_look_back(review_id, **parts)
    assert refused.value.code == code


def test_follow_ups_are_completed_once_with_a_note(app: LedgersApplication) -> None:
    review_id = held(app)
    with pytest.raises(InvalidInputError):
        app.complete_review_follow_up(review_id, 0, " ")
    with pytest.raises(InvalidInputError):
        app.complete_review_follow_up(review_id, 3, "完成")
    app.complete_review_follow_up(review_id, 0, "已约谈，形成约谈记录")
    assert app.get_quarterly_review(review_id)["open_follow_ups"] == 0
    with pytest.raises(ConflictError):
        app.complete_review_follow_up(review_id, 0, "再次")


def test_quarter_bounds() -> None:
    assert quarter_bounds("2025Q4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert quarter_bounds("2024Q1") == (date(2024, 1, 1), date(2024, 3, 31))


def test_the_review_is_published_for_hq(app: LedgersApplication) -> None:
    held(app)
    envelopes, _ = app.integration_events(0, 100)
    published = [e for e in envelopes if e.type == "ledgers.QuarterlyReviewHeld"]
    assert len(published) == 1 and published[0].distribution == "hq"
    assert published[0].payload["follow_ups"][0]["owner"] == "王强"


# -- over HTTP ------------------------------------------------------------------------------------------
@pytest.fixture
def api() -> Iterator[Api]:
    with embedded_api() as api:
        yield api


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()} | {
        "follow_ups": [{**f, "deadline": f["deadline"].isoformat()} for f in values["follow_ups"]]}


def test_leadership_records_the_group_reads_hq_reads_others_do_not(api: Api) -> None:
    path = "/api/ledgers/groups/group-mee/quarterly-reviews"
    assert api.post("zhang.wei", path, json=_json(MEETING)).status_code == 403
    assert api.post("he.leader2", path, json=_json(MEETING)).status_code == 403
    created = api.post("li.na", path, json=_json(MEETING))
    assert created.status_code == 201, created.text
    review_id = created.json()["review_id"]
    look_back = f"/api/ledgers/quarterly-reviews/{review_id}/self-look-back"
    assert api.post("zhang.wei", look_back, json=LOOK_BACK).status_code == 403
    assert api.post("wang.qiang", look_back, json=LOOK_BACK).status_code == 200
    done = api.post("zhou.min", f"/api/ledgers/quarterly-reviews/{review_id}/follow-ups/0/complete",
                    json={"note": "已约谈"})
    assert done.status_code == 200, done.text

    assert api.get("zhang.wei", f"/api/ledgers/quarterly-reviews/{review_id}").json()["look_back"] is not None
    assert api.get("chen.hq", f"/api/ledgers/quarterly-reviews/{review_id}").status_code == 200
    api.sync()
    [listed] = api.get("chen.hq", "/api/ledgers/quarterly-reviews").json()["items"]
    assert listed["look_back"] is not None and listed["open_follow_ups"] == len(MEETING["follow_ups"]) - 1
    assert listed["follow_ups"][0]["note"] == "已约谈"
    assert len(api.get("li.na", path).json()["items"]) == 1
    assert api.get("zhou.other", f"/api/ledgers/quarterly-reviews/{review_id}").status_code == 404
    assert api.get("zhou.other", "/api/ledgers/quarterly-reviews").json()["items"] == []
    assert api.get("zhou.other", path).status_code == 404
    assert api.get("zhao.unit", f"/api/ledgers/quarterly-reviews/{review_id}").status_code == 404
    assert api.get("zhao.unit", path).status_code == 404
    twice = api.post("li.na", path, json=_json(MEETING))
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "review_exists"
    bad = api.post("li.na", path, json=_json(MEETING) | {"quarter": "2025-1"})
    assert bad.status_code == 422
