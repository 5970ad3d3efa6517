"""Issue #15: a supervision activity records the directive and stage it supervised (the detail ledger keeps the
group's supervision at each node); old activities without them still load and list."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from eventsourcing.persistence import StoredEvent

from events.inspections import SupervisionActivityPlanned, SupervisionActivityPlannedV1
from events.registry import decode
from projections.common.db import SqliteDatabase
from projections.inspection_handoff import lists
from projections.inspection_handoff.projection import InspectionHandoff
from runtime.projection_runner import Item, ProjectionRunner
from services.common.errors import InvalidInputError
from services.inspections.activities import SupervisionActivity
from services.inspections.application import InspectionsApplication
from services.inspections.integration import activity_planned
from services.inspections.views import activity_view
from tests.factories import make_envelope
from tests.unit.inspections.conftest import GROUP_MWR, handoff_lists, published
from tests.unit.inspections.test_activities import plan

DIRECTIVE = "dir-0001"


def test_an_activity_planned_on_a_directive_stage_is_listed_under_that_directive(app: InspectionsApplication) -> None:
    on_plan = plan(app, directive_id=DIRECTIVE, stage="plan")
    on_execution = plan(app, directive_id=DIRECTIVE, stage="execution", start_on=date(2025, 5, 1),
                        end_on=date(2025, 5, 9))
    on_directive = plan(app, directive_id=DIRECTIVE, start_on=date(2025, 6, 1), end_on=date(2025, 6, 9))
    elsewhere = plan(app, directive_id="dir-0002", stage="plan")
    unlinked = plan(app)
    view = app.get_activity(on_plan)
    assert (view["directive_id"], view["stage"]) == (DIRECTIVE, "plan")
    assert (app.get_activity(unlinked)["directive_id"], app.get_activity(unlinked)["stage"]) == (None, None)
    payloads = {e.payload["activity_id"]: e.payload for e in published(app, "inspections.SupervisionActivityPlanned")}
    assert (payloads[on_execution]["directive_id"], payloads[on_execution]["stage"]) == (DIRECTIVE, "execution")
    assert payloads[unlinked]["directive_id"] is None

    listed = handoff_lists(app, directive_id=DIRECTIVE)["activities"]
    assert [a["activity_id"] for a in listed] == [on_plan, on_execution, on_directive]
    assert [(a["directive_id"], a["stage"]) for a in listed] == [
        (DIRECTIVE, "plan"), (DIRECTIVE, "execution"), (DIRECTIVE, None)]
    assert [a["activity_id"] for a in handoff_lists(app, directive_id=DIRECTIVE, stage="execution")["activities"]] \
        == [on_execution]
    assert [a["activity_id"] for a in handoff_lists(app, directive_id="dir-0002")["activities"]] == [elsewhere]
    assert handoff_lists(app, GROUP_MWR, directive_id=DIRECTIVE)["activities"] == []  # the read rule still holds


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"stage": "plan"}, "directive_required"),
        ({"stage": "gossip", "directive_id": DIRECTIVE}, "unknown_stage"),
    ],
)
def test_a_stage_needs_its_directive(app: InspectionsApplication, overrides: dict[str, str], code: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        plan(app, **overrides)
    assert error.value.code == code
    assert published(app, "inspections.SupervisionActivityPlanned") == []


def test_an_activity_recorded_before_issue_15_still_loads_and_publishes(app: InspectionsApplication) -> None:
    """A stored `Planned` without `directive_id` and `stage` (recorded before issue #15) replays with None."""
    activity_id = plan(app)
    [stored] = app.recorder.select_events(uuid.UUID(activity_id))
    state = json.loads(stored.state)
    assert "directive_id" in state and "stage" in state
    old_state = {k: v for k, v in state.items() if k not in ("directive_id", "stage")}
    old = StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                      topic=stored.topic, state=json.dumps(old_state).encode("utf-8"))
    event = app.mapper.to_domain_event(old)
    assert not hasattr(event, "directive_id")
    activity = event.mutate(None)
    assert isinstance(activity, SupervisionActivity)
    view = activity_view(activity)
    assert (view.directive_id, view.stage, view.title) == (None, None, "中央生态环境保护督察整改跟踪问效")
    contract = activity_planned(event).payload
    assert isinstance(contract, SupervisionActivityPlanned)
    assert (contract.directive_id, contract.stage) == (None, None)


def test_a_v1_planned_contract_upcasts_and_is_listed_without_a_directive() -> None:
    v1 = SupervisionActivityPlannedV1(activity_id="a-old", kind="tracking", title="旧活动", methods=["talk"],
                                      start_on=date(2024, 4, 1), end_on=date(2024, 4, 30), leader_id=None,
                                      hq_offices=[])
    envelope = make_envelope(v1, service="inspections", position=1, stream_id="a-old")
    assert envelope.schema_version == 1
    upcast = decode(envelope)
    assert isinstance(upcast, SupervisionActivityPlanned) and (upcast.directive_id, upcast.stage) == (None, None)
    runner = ProjectionRunner(InspectionHandoff(), SqliteDatabase(":memory:"))
    runner.setup()
    runner.process([Item("fixture", 0, 0, envelope)])
    assert runner.dead_letter_count() == 0
    with runner.db.transaction() as tx:
        [row] = tx.fetchall("SELECT activity_id, directive_id, stage FROM handoff_activities")
    assert tuple(row) == ("a-old", None, None)
    assert "directive_id" in lists.ACTIVITY_COLUMNS
