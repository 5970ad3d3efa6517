"""Evaluations on the four dimensions and the three looks (看态度、看行动、看效果)."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import InvalidInputError
from services.ledgers.application import LedgersApplication
from tests.factories import evidence_file, look_back_checks

from .conftest import add_item, register

SCORES = {"understanding": 5, "goal_setting": 4, "responsibility": 4, "drive": 3}


def test_department_is_evaluated_on_four_dimensions(app: LedgersApplication) -> None:
    directive_id = register(app)
    app.evaluate_department(directive_id, "水生态环境司", SCORES, "认识到位，推进力度有待加强")
    evaluation = app.get_directive(directive_id)["evaluations"]["水生态环境司"]
    assert evaluation["scores"] == SCORES and evaluation["evaluated_on"] == "2025-03-03"


@pytest.mark.parametrize("scores", [
    {"understanding": 5, "goal_setting": 4, "responsibility": 4},
    SCORES | {"drive": 6},
    SCORES | {"drive": 0},
    SCORES | {"drive": True},
    SCORES | {"charm": 5},
])
def test_incomplete_or_out_of_range_scores_are_refused(app: LedgersApplication, scores: dict[str, int]) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        app.evaluate_department(directive_id, "水生态环境司", scores, "理由")
    assert app.get_directive(directive_id)["evaluations"] == {}


def test_evaluation_needs_a_rationale_and_a_department(app: LedgersApplication) -> None:
    directive_id = register(app)
    with pytest.raises(InvalidInputError):
        app.evaluate_department(directive_id, "水生态环境司", SCORES, " ")
    with pytest.raises(InvalidInputError):
        app.evaluate_department(directive_id, "", SCORES, "理由")


def test_three_looks(app: LedgersApplication) -> None:
    directive_id = register(app, received_on=date(2025, 2, 24))
    app.record_stage(directive_id, "relay_study", date(2025, 2, 25), "第一议题传达学习", "部党组")
    app.record_stage(directive_id, "deployment", date(2025, 3, 3), "部署", "部党组")
    app.evaluate_department(directive_id, "水生态环境司", SCORES, "r")
    app.evaluate_department(directive_id, "长江局", SCORES | {"drive": 5}, "r")
    closed = add_item(app, directive_id)
    add_item(app, directive_id, list_kind="problem", problem_type="perfunctory")
    app.close_item(closed, summary="完成", evidence_refs=[evidence_file("a")])
    app.record_look_back(closed, "举一反三已核查", checks=look_back_checks())
    looks = app.three_looks(directive_id)
    assert looks["attitude"]["days_from_receipt"] == {"relay_study": 1, "deployment": 7, "plan": None}
    assert looks["action"]["averages"]["drive"] == 4.0
    assert looks["effect"] == {"items": 2, "closed": 1, "overdue": 0, "reopened": 0, "look_backs": 1,
                                    "similar_checked": 1, "similar_links": 0}
