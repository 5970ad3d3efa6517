"""The units service's commands and queries of meeting supervision and the three-level network (their aggregates:
meetings.LeadershipContact, network.NetworkActivity; the positions are the roster's)."""

from __future__ import annotations

from events.plain import plain
from services.common.application import command, query
from services.units.interface.meetings import (
    AddContactObservation,
    ContactMatterRecorded,
    ContactRecorded,
    ContactView,
    GetLeadershipContact,
    GetNetwork,
    GetNetworkActivity,
    NetworkActivityRecorded,
    NetworkActivityView,
    NetworkView,
    ObserveMeetingMatter,
    RecordLeadershipContact,
    RecordNetworkActivity,
)
from services.units.meetings import CONTACT_KINDS, LeadershipContact, roster_persons
from services.units.network import ACTIVITY_KINDS, NetworkActivity, network_positions
from services.units.power import PowerMatter
from services.units.queries import UnitsQueries


def contact_view(c: LeadershipContact) -> ContactView:
    return ContactView.model_validate(plain({
        "contact_id": str(c.id), "group_id": c.group_id, "unit_id": c.unit_id, "distribution": c.default_distribution,
        "kind": c.kind, "kind_label": CONTACT_KINDS[c.kind], "meeting_kind": c.meeting_kind, "held_on": c.held_on,
        "title": c.title, "persons": c.persons, "attended_by": c.attended_by, "observations": c.observations,
        "directive_id": c.directive_id, "stage": c.stage, "matter_ids": c.matter_ids, "recorded_by": c.recorded_by,
        "version": c.version,
    }))


def network_activity_view(a: NetworkActivity) -> NetworkActivityView:
    return NetworkActivityView.model_validate(plain({
        "activity_id": str(a.id), "group_id": a.group_id, "unit_id": a.unit_id, "distribution": a.default_distribution,
        "kind": a.kind, "kind_label": ACTIVITY_KINDS[a.kind], "held_on": a.held_on, "title": a.title,
        "summary": a.summary, "participants": a.participants, "assignment": a.assignment,
        "recorded_by": a.recorded_by, "version": a.version,
    }))


class SupervisionHandlers(UnitsQueries):
    """Meeting supervision (会议监督, 交换意见, 谈心谈话) and the three-level network (三级联动)."""

    # -- meeting supervision ----------------------------------------------------------------------------
    @command
    def record_leadership_contact(self, c: RecordLeadershipContact) -> ContactRecorded:
        """Record a leadership meeting attended, an exchange of views with the 一把手, or a talk, with what was observed."""
        unit = self.unit(c.unit_id)
        contact = LeadershipContact.record(
            group_id=unit.group_id, unit_id=c.unit_id, kind=c.contact_kind, meeting_kind=c.meeting_kind,
            held_on=c.held_on, title=c.title, persons=roster_persons(unit.current_posts(), list(c.person_ids)),
            attended_by=list(c.attended_by), observation=c.observation, concern=c.concern,
            directive_id=c.directive_id, stage=c.stage, recorded_by=self.actor()["user"], today=self.today(),
        )
        return ContactRecorded(contact_id=str(contact.id), position=self.record(contact))

    @command
    def add_contact_observation(self, c: AddContactObservation) -> ContactRecorded:
        """Add a later observation to a meeting, exchange of views or talk."""
        contact: LeadershipContact = self.load(c.contact_id, LeadershipContact)
        contact.add_observation(observer=self.actor()["user"], note=c.note, concern=c.concern,
                                observed_on=self.today())
        return ContactRecorded(contact_id=c.contact_id, position=self.record(contact))

    @command
    def observe_meeting_matter(self, c: ObserveMeetingMatter) -> ContactMatterRecorded:
        """Register a 三重一大 matter seen at this attended meeting (a power matter, linked to the meeting)."""
        contact: LeadershipContact = self.load(c.contact_id, LeadershipContact)
        contact.check_matter()
        unit = self.unit(contact.unit_id)
        department = unit.department(c.department_id)
        matter = PowerMatter.seen_at_meeting(
            group_id=unit.group_id, unit_id=unit.unit_id, category=c.category, title=c.title,
            department_id=c.department_id, department_name=department["name"], decided_on=c.decided_on,
            meeting=contact.title, amount_yuan=c.amount_yuan, observer=self.actor()["user"], note=c.note,
            concern=c.concern, observed_on=self.today(),
        )
        contact.link_matter(str(matter.id))
        return ContactMatterRecorded(contact_id=c.contact_id, matter_id=str(matter.id),
                                     position=self.record(matter, contact))

    @query
    def get_leadership_contact(self, q: GetLeadershipContact) -> ContactView:
        """One meeting attended, exchange of views or talk, with its observations."""
        return contact_view(self.load(q.contact_id, LeadershipContact))

    # -- the three-level network --------------------------------------------------------------------------
    @command
    def record_network_activity(self, c: RecordNetworkActivity) -> NetworkActivityRecorded:
        """Record a joint meeting, training, 以干代训 or guidance of the unit's discipline network."""
        unit = self.unit(c.unit_id)
        activity = NetworkActivity.record(
            group_id=unit.group_id, unit_id=c.unit_id, kind=c.activity_kind, held_on=c.held_on, title=c.title,
            summary=c.summary, posts=unit.current_posts(), participant_ids=list(c.participant_ids),
            assignment=c.assignment, recorded_by=self.actor()["user"], today=self.today(),
        )
        return NetworkActivityRecorded(activity_id=str(activity.id), position=self.record(activity))

    @query
    def get_network(self, q: GetNetwork) -> NetworkView:
        """The unit's three-level network: each position, its holders, vacancies, and how the channel reaches it."""
        unit = self.unit(q.unit_id)
        positions = network_positions(unit.departments, list(unit.posts.values()))
        for position in positions:
            # The channel addresses counterparts (departments): a branch member through their department, the
            # organ discipline committee through the party group it reports to.
            holders = position["holders"]
            department = unit.departments[holders[0]["department_id"]] if holders else None
            position["reachable_via"] = None if department is None else {
                "counterpart_id": department["department_id"], "counterpart_name": department["name"],
                "level": department["kind"]}
        return NetworkView.model_validate(plain({
            "unit_id": unit.unit_id, "group_id": unit.group_id, "positions": positions,
            "vacancies": sum(1 for p in positions if p["vacant"]),
        }))

    @query
    def get_network_activity(self, q: GetNetworkActivity) -> NetworkActivityView:
        """One joint meeting, training, 以干代训 or guidance of the network."""
        return network_activity_view(self.load(q.activity_id, NetworkActivity))
