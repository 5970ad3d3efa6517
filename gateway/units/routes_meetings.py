"""Units routes of meeting supervision (会议监督, 交换意见, 谈心谈话) and the three-level network (三级联动):
commands and reads by id; their lists are in routes_channel (read model `unit_channel`)."""

from __future__ import annotations

from gateway import references
from gateway.routes import operation_route
from gateway.units.common import router
from services.units.interface import (
    AddContactObservation,
    ContactBody,
    ContactObservationBody,
    GetLeadershipContact,
    GetNetwork,
    GetNetworkActivity,
    MeetingMatterBody,
    NetworkActivityBody,
    ObserveMeetingMatter,
    RecordLeadershipContact,
    RecordNetworkActivity,
)

operation_route(router, "POST", "/units/{unit_id}/leadership-contacts", RecordLeadershipContact,
                "units.supervise_meetings", body=ContactBody, status_code=201, check=references.linked_directive)


operation_route(router, "GET", "/leadership-contacts/{contact_id}", GetLeadershipContact, "units.read_meetings")


operation_route(router, "POST", "/leadership-contacts/{contact_id}/observations", AddContactObservation,
                "units.supervise_meetings", body=ContactObservationBody, status_code=201)


operation_route(router, "POST", "/leadership-contacts/{contact_id}/power-matters", ObserveMeetingMatter,
                "units.supervise_meetings", body=MeetingMatterBody, status_code=201)


operation_route(router, "GET", "/units/{unit_id}/network", GetNetwork, "units.read")


operation_route(router, "POST", "/units/{unit_id}/network-activities", RecordNetworkActivity,
                "units.record_network", body=NetworkActivityBody, status_code=201)


operation_route(router, "GET", "/network-activities/{activity_id}", GetNetworkActivity, "units.read")
