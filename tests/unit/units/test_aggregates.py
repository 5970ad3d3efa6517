"""The aggregates guard themselves, and their stored event names never change (replay depends on them)."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from services.common.context import command_context
from services.common.errors import ConflictError, InvalidInputError
from services.units.deliberation import FeedbackDraft
from services.units.evaluations import PersonSupervision
from services.units.inbound import InboundSubmission
from services.units.integrity_opinions import IntegrityOpinionRequest
from services.units.outbound import OutboundItem
from services.units.power import PowerList, PowerMatter
from services.units.roster import Unit
from services.units.routing import RoutingMatrix, WrongCounterpartError
from services.units.upward import Consultation, JointAnnouncement, UpwardSubmission
from tests.factories import acting_as

EVENTS = {
    Unit: {"Registered", "DepartmentAdded", "DepartmentRenamed", "DepartmentDissolved", "PersonAppointed",
           "PersonLeftPost", "ImportantFieldsSet"},
    RoutingMatrix: {"Established", "CounterpartAssigned"},
    InboundSubmission: {"Submitted", "Reviewed"},
    OutboundItem: {"Issued", "Delivered", "Acknowledged", "Answered", "Overdue", "Withdrawn"},
    FeedbackDraft: {"Drafted", "OpinionRecorded", "Revised", "LeadershipDecided", "Issued"},
    PowerMatter: {"Registered", "ObservationRecorded"},
    PowerList: {"Established", "PowersRevised", "RiskPointRecorded", "RiskPointRetired"},
    UpwardSubmission: {"Submitted", "Replied"},
    Consultation: {"Held", "ActionCompleted"},
    JointAnnouncement: {"Published"},
    PersonSupervision: {"Opened", "KeyPersonFlagged", "Evaluated"},
    IntegrityOpinionRequest: {"Requested"},
}


@pytest.mark.parametrize("aggregate", list(EVENTS), ids=lambda a: a.__name__)
def test_event_names_and_topics_are_those_already_stored(aggregate: type[Aggregate]) -> None:
    events = {name for name, value in vars(aggregate).items()
              if isinstance(value, type) and issubclass(value, Aggregate.Event) and name not in ("Event", "Created")}
    assert events == EVENTS[aggregate]
    module = aggregate.__module__
    for name in events:
        assert get_topic(getattr(aggregate, name)) == f"{module}:{aggregate.__name__}.{name}"


def test_public_command_methods_check_their_rules_without_the_application() -> None:
    with command_context(acting_as("zhang.wei", "group-mee", "group_staff")):
        unit = Unit.register("group-mee", "unit-mee", " 生态环境部 ", "部党组")
        assert unit.name == "生态环境部"
        with pytest.raises(InvalidInputError) as refused:
            unit.add_department("x", "某处", "division", None, date(2025, 1, 1))
        assert refused.value.code == "parent_required"
        matrix = RoutingMatrix(group_id="group-mee", unit_id="unit-mee")
        with pytest.raises(WrongCounterpartError):
            matrix.assign("party-group", "party_group", "wang.qiang", "group_deputy", date(2025, 1, 1))
        item = OutboundItem.issue(
            group_id="group-mee", unit_id="unit-mee", kind="document_request", title="调阅", body="资料",
            reference_number="", counterpart_id="party-group", counterpart_name="部党组", level="party_group",
            signed_by="li.na", signer_role="group_leader", deadline=date(2025, 4, 1), issued_on=date(2025, 3, 1))
        with pytest.raises(ConflictError) as refused:
            item.answer("s-1", "document_submission", "已报送", False, date(2025, 3, 2))
        assert refused.value.code == "not_acknowledged"
        item.acknowledge("zhao.unit", date(2025, 3, 2))
        assert item.delivered == {"channel": "portal", "delivered_on": date(2025, 3, 2)}
        with pytest.raises(ConflictError):
            item.acknowledge("zhao.unit", date(2025, 3, 2))
        with pytest.raises(ConflictError):
            item.mark_overdue(date(2025, 3, 3))  # not past its deadline
