"""Inspection rounds: recording, opening, closing, members, distribution."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.inspections.activities import SupervisionActivity
from services.inspections.application import InspectionsApplication
from services.inspections.domainmodel import InspectionRound
from tests.unit.inspections.conftest import handoff_lists, published, round_kwargs


def test_recorded_round_is_planned_and_lists_members(app: InspectionsApplication, round_id: str) -> None:
    view = app.get_round(round_id)
    assert view["status"] == "planned"
    assert view["is_open"] is False
    assert view["member_ids"] == ["liu.team", "xu.team"]
    assert view["team_id"] == "team-3"
    assert view["distribution"] == f"inspection:{round_id}"
    assert view["phases"]["during"].model_dump(mode="json") == {"start": "2025-03-11", "end": "2025-05-10"}


def test_round_events_are_distributed_to_the_round(app: InspectionsApplication, open_round: str) -> None:
    envelopes, _ = app.integration_events(0, 100)
    assert [e.type for e in envelopes] == ["inspections.RoundRecorded", "inspections.RoundOpened"]
    assert {e.distribution for e in envelopes} == {f"inspection:{open_round}"}
    assert envelopes[0].stream_id == open_round
    assert envelopes[0].payload["member_ids"] == ["liu.team", "xu.team"]
    assert {e.unit_id for e in envelopes} == {"unit-mee"}


def test_phases_out_of_order_are_refused(app: InspectionsApplication) -> None:
    with pytest.raises(InvalidInputError) as error:
        app.record_round(**round_kwargs(during_start=date(2025, 3, 5)))
    assert error.value.code == "phase_dates_invalid"
    with pytest.raises(InvalidInputError):
        app.record_round(**round_kwargs(after_end=date(2025, 5, 1)))


def test_round_without_members_is_refused(app: InspectionsApplication) -> None:
    with pytest.raises(InvalidInputError) as error:
        app.record_round(**round_kwargs(member_ids=[]))
    assert error.value.code == "members_required"


def test_open_then_close(app: InspectionsApplication, round_id: str) -> None:
    app.open_round(round_id)
    assert app.get_round(round_id)["is_open"] is True
    app.close_round(round_id, "巡视反馈完成，转入整改监督")
    view = app.get_round(round_id)
    assert view["status"] == "closed" and view["is_open"] is False
    assert view["closing_summary"] == "巡视反馈完成，转入整改监督"
    assert published(app, "inspections.RoundClosed")


def test_opening_twice_is_refused(app: InspectionsApplication, open_round: str) -> None:
    with pytest.raises(ConflictError) as error:
        app.open_round(open_round)
    assert error.value.code == "round_not_planned"


def test_closing_a_planned_round_is_refused(app: InspectionsApplication, round_id: str) -> None:
    with pytest.raises(ConflictError) as error:
        app.close_round(round_id, "结束")
    assert error.value.code == "round_not_open"


def test_closing_needs_a_summary(app: InspectionsApplication, open_round: str) -> None:
    with pytest.raises(InvalidInputError):
        app.close_round(open_round, "  ")


def test_a_closed_round_cannot_be_reopened_or_closed_again(app: InspectionsApplication, open_round: str) -> None:
    app.close_round(open_round, "结束")
    with pytest.raises(ConflictError):
        app.open_round(open_round)
    with pytest.raises(ConflictError):
        app.close_round(open_round, "再次结束")


def test_members_change_and_not_after_closing(app: InspectionsApplication, open_round: str) -> None:
    app.change_round_members(open_round, ["liu.team"])
    assert app.get_round(open_round)["member_ids"] == ["liu.team"]
    app.close_round(open_round, "结束")
    with pytest.raises(ConflictError) as error:
        app.change_round_members(open_round, ["liu.team", "xu.team"])
    assert error.value.code == "round_closed"


def test_unknown_round_is_not_found(app: InspectionsApplication) -> None:
    with pytest.raises(NotFoundError):
        app.get_round("00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFoundError):
        app.open_round("not-a-uuid")


def test_list_rounds_filters_by_unit_group_and_team(app: InspectionsApplication, round_id: str) -> None:
    other = app.record_round(**round_kwargs(group_id="group-mwr", unit_id="unit-mwr", team_id="team-5"))

    def listed(**filters: str) -> list[str]:
        return [r["round_id"] for r in handoff_lists(app, **filters)["rounds"]]

    assert listed(unit_id="unit-mee") == [round_id]
    assert listed(group_id="group-mwr") == [other["round_id"]]
    assert listed(team_id="team-3") == [round_id]
    assert len(listed()) == 2


def test_events_form_a_hash_chain(app: InspectionsApplication, open_round: str) -> None:
    envelopes, _ = app.integration_events(0, 100)
    assert envelopes[1].prev_hash == envelopes[0].hash


def test_the_round_tells_the_authoriser_its_members_and_whether_it_is_open(
    app: InspectionsApplication, round_id: str
) -> None:
    scope = app.repository.get(UUID(round_id)).access_scope()
    assert (scope.group_id, scope.unit_id, scope.round_id) == ("group-mee", "unit-mee", round_id)
    assert scope.round_members == {"liu.team", "xu.team"} and scope.round_open is False
    assert scope.distribution == f"inspection:{round_id}"
    app.open_round(round_id)
    assert app.repository.get(UUID(round_id)).access_scope().round_open is True


def test_stored_event_topics_are_unchanged() -> None:
    """Stored events name their class by topic: moving or renaming one breaks replay of the history."""
    assert get_topic(InspectionRound.Opened) == "services.inspections.domainmodel:InspectionRound.Opened"
    assert get_topic(InspectionRound.FindingHandedOver) == (
        "services.inspections.domainmodel:InspectionRound.FindingHandedOver")
    assert get_topic(SupervisionActivity.Planned) == "services.inspections.activities:SupervisionActivity.Planned"
    assert get_topic(SupervisionActivity.FindingReferredAsClue) == (
        "services.inspections.activities:SupervisionActivity.FindingReferredAsClue")
