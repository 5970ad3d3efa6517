"""执责必严、失责必问: accountability proposed for a failed duty on a directive's items, then decided once."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.ledgers.application import LedgersApplication
from tests.factories import acting_as

from .conftest import add_item, register


def _propose(app: LedgersApplication, directive_id: str, item_ids: list[str], **overrides: object) -> dict:
    fields = {"directive_id": directive_id, "item_ids": item_ids, "person_id": "post-lin",
              "form": "admonishment", "failed_duty": "整治方案照搬照抄、敷衍塞责，逾期未完成",
              "grounds": "回头看发现问题反弹，督办两次仍未整改"} | overrides
    return dict(app.propose_accountability(**fields))


def test_a_failed_duty_on_the_overdue_task_is_proposed_then_decided_by_the_party_group(
        app: LedgersApplication) -> None:
    directive_id = register(app)
    task = add_item(app, directive_id)
    proposed = _propose(app, directive_id, [task])
    assert proposed["status"] == "proposed" and proposed["position"] > 0
    with app.acting(acting_as("li.na", "group-mee", "group_leader")):
        decided = app.decide_accountability(proposed["accountability_id"], outcome="decided",
                                            form="notification", decided_by_body="部党组",
                                            decided_on=date(2025, 3, 3), note="在部机关范围内通报")
    assert decided["status"] == "decided"
    view = app.get_accountability(proposed["accountability_id"])
    assert (view["form"], view["decision"]["form"], view["decision"]["decided_by_body"]) == (
        "admonishment", "notification", "部党组")
    assert view["item_ids"] == [task] and view["person_id"] == "post-lin" and view["distribution"] == "hq"
    envelopes, _ = app.integration_events(0, 1000)
    published = {e.type: e for e in envelopes if e.type.startswith("ledgers.Accountability")}
    assert published["ledgers.AccountabilityProposed"].payload["item_ids"] == [task]
    assert "grounds" not in published["ledgers.AccountabilityProposed"].payload
    assert published["ledgers.AccountabilityDecided"].payload["form"] == "notification"
    assert {e.distribution for e in published.values()} == {"hq"}


def test_a_decision_is_recorded_once_and_not_pursued_needs_a_reason(app: LedgersApplication) -> None:
    directive_id = register(app)
    proposed = _propose(app, directive_id, [add_item(app, directive_id)])
    accountability_id = proposed["accountability_id"]
    with app.acting(acting_as("wang.qiang", "group-mee", "group_deputy")):
        with pytest.raises(InvalidInputError) as no_reason:
            app.decide_accountability(accountability_id, outcome="not_pursued", decided_by_body="部党组",
                                      decided_on=date(2025, 3, 3))
        assert no_reason.value.code == "reason_required"
        with pytest.raises(InvalidInputError) as no_form:
            app.decide_accountability(accountability_id, outcome="decided", decided_by_body="部党组",
                                      decided_on=date(2025, 3, 3))
        assert no_form.value.code == "form_required"
        app.decide_accountability(accountability_id, outcome="not_pursued", decided_by_body="部党组",
                                  decided_on=date(2025, 3, 3), note="已主动整改，情节轻微")
        with pytest.raises(ConflictError) as again:
            app.decide_accountability(accountability_id, outcome="decided", form="notification",
                                      decided_by_body="部党组", decided_on=date(2025, 3, 3))
        assert again.value.code == "accountability_decided"
    assert app.get_accountability(accountability_id)["status"] == "not_pursued"


def test_items_must_be_the_directives_and_exist(app: LedgersApplication) -> None:
    directive_id = register(app)
    other = register(app, reference="环办〔2025〕2号")
    foreign = add_item(app, other)
    with pytest.raises(InvalidInputError) as refused:
        _propose(app, directive_id, [foreign])
    assert refused.value.code == "item_not_on_directive"
    with pytest.raises(NotFoundError):
        _propose(app, directive_id, ["00000000-0000-0000-0000-000000000000"])
    with pytest.raises(InvalidInputError):  # the closed vocabulary of 问责条例 art. 8
        _propose(app, directive_id, [add_item(app, directive_id)], form="dismissal")
