"""Supervision recommendations: drafted in the group, issued to the unit, answered, closed with evidence."""

from __future__ import annotations

from datetime import date

import pytest

from services.clues.application import CluesApplication
from services.clues.recommendation import RecommendationStateError
from services.common.errors import InvalidInputError
from tests.unit.clues.conftest import as_leader, as_staff, recommendations_of, register


def draft(app: CluesApplication, **overrides: object) -> str:
    values: dict[str, object] = {
        "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "建议〔2025〕5号",
        "title": "关于健全环评审批监督机制的建议", "problems": ["审批权力过于集中"],
        "recommendations": ["推行审批分级负责"], "responsible_department": "环境影响评价司", "deadline": date(2025, 6, 30),
    }
    values.update(overrides)
    with as_staff(app):
        return str(app.draft_recommendation(**values)["recommendation_id"])


def test_draft_is_group_only_and_issue_goes_to_the_unit(app: CluesApplication) -> None:
    rec_id = draft(app)
    with as_leader(app):
        app.issue_recommendation(rec_id)
        with pytest.raises(RecommendationStateError):
            app.issue_recommendation(rec_id)
    events = list(app.events.get(app.load(rec_id).id))
    assert [(type(e).__name__, e.distribution) for e in events] == [("Drafted", "group"), ("Issued", "unit")]
    assert app.get_recommendation(rec_id)["status"] == "issued"


@pytest.mark.parametrize("overrides", [{"title": " "}, {"problems": [" "]}, {"recommendations": []},
                                       {"responsible_department": ""}, {"reference_number": ""}])
def test_incomplete_draft_is_refused(app: CluesApplication, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        draft(app, **overrides)


def test_deadline_before_issue_is_refused(app: CluesApplication) -> None:
    rec_id = draft(app, deadline=date(2025, 3, 1))
    with as_leader(app), pytest.raises(InvalidInputError):
        app.issue_recommendation(rec_id)


def test_closure_needs_a_completed_rectification_and_evidence(app: CluesApplication) -> None:
    rec_id = draft(app)
    with as_leader(app):
        with pytest.raises(RecommendationStateError):
            app.record_recommendation_response(rec_id, "r1", "进展", False, date(2025, 4, 1))
        app.issue_recommendation(rec_id)
        app.record_recommendation_response(rec_id, "r1", "正在制定办法", False, date(2025, 4, 1))
        with pytest.raises(RecommendationStateError):
            app.close_recommendation(rec_id, "证据")
        app.record_recommendation_response(rec_id, "r2", "办法已印发实施", True, date(2025, 5, 1))
        with pytest.raises(InvalidInputError):
            app.close_recommendation(rec_id, " ")
        app.close_recommendation(rec_id, "核查印发文件及执行记录")
    view = app.get_recommendation(rec_id)
    assert view["status"] == "closed" and view["closure"]["evidence"] == "核查印发文件及执行记录"
    assert [v["recommendation_id"] for v in recommendations_of(app, "unit-mee", "unit")] == [rec_id]


def test_source_clues_record_the_link_and_the_recommendation_names_none(app: CluesApplication) -> None:
    clue_id = register(app)
    rec_id = draft(app, source_clue_ids=[clue_id])
    assert app.load(clue_id).recommendation_ids == [rec_id]
    assert clue_id not in str(app.get_recommendation(rec_id))
    other_unit_clue = register(app, unit_id="unit-mwr")
    with pytest.raises(InvalidInputError):
        draft(app, source_clue_ids=[other_unit_clue])
