"""The units service's membership commands: organisations, members with roles, and what they publish."""

from __future__ import annotations

import pytest

from events.catalog import load_all
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from services.units.application import UnitsApplication
from services.units.membership import Organisation

load_all()


@pytest.fixture
def app() -> UnitsApplication:
    return UnitsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def published(app: UnitsApplication) -> list[tuple[str, dict[str, object]]]:
    envelopes, _ = app.integration_events(0, 1000)
    return [(e.type, e.payload) for e in envelopes]


def test_an_organisation_and_its_members_are_recorded_and_published(app: UnitsApplication) -> None:
    app.register_organisation(org_id="group-nea", org_kind="group", name="驻国家能源局纪检监察组")
    app.register_organisation(org_id="unit-nea", org_kind="unit", name="国家能源局", supervised_by="group-nea")
    app.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰", roles=["group_leader"])
    app.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰",
                                roles=["group_leader", "group_staff"])
    app.remove_organisation_member(org_id="group-nea", user_id="gao.lead", reason="调任 (transferred)")

    events = published(app)
    assert [t for t, _ in events] == ["units.OrganisationRegistered", "units.OrganisationRegistered",
                                      "units.MemberAdded", "units.MemberAdded", "units.MemberRemoved"]
    assert events[1][1]["supervised_by"] == "group-nea"
    assert events[3][1]["roles"] == ["group_leader", "group_staff"]
    assert events[4][1] == {"org_id": "group-nea", "user_id": "gao.lead"}


def test_roles_must_fit_the_kind_of_organisation(app: UnitsApplication) -> None:
    app.register_organisation(org_id="team-5", org_kind="inspection_team", name="中央第五巡视组")
    with pytest.raises(InvalidInputError) as refused:
        app.add_organisation_member(org_id="team-5", user_id="x.y", name="某", roles=["group_leader"])
    assert refused.value.code == "role_invalid"


def test_a_unit_needs_its_group_and_only_a_unit_has_one(app: UnitsApplication) -> None:
    with pytest.raises(InvalidInputError):
        app.register_organisation(org_id="unit-x", org_kind="unit", name="某部")
    with pytest.raises(InvalidInputError):
        app.register_organisation(org_id="group-x", org_kind="group", name="某组", supervised_by="group-y")


def test_registering_twice_and_removing_a_stranger_are_conflicts(app: UnitsApplication) -> None:
    app.register_organisation(org_id="hq", org_kind="hq", name="机关")
    with pytest.raises(ConflictError):
        app.register_organisation(org_id="hq", org_kind="hq", name="机关")
    with pytest.raises(ConflictError):
        app.remove_organisation_member(org_id="hq", user_id="nobody", reason="无 (none)")


def test_a_unit_of_the_roster_becomes_an_organisation_on_its_first_member(app: UnitsApplication) -> None:
    app.register_unit(group_id="group-nea", unit_id="unit-nea", name="国家能源局", party_group_name="国家能源局党组")
    app.add_organisation_member(org_id="unit-nea", user_id="lin.liaison", name="林", roles=["unit_liaison"])
    organisation = app.repository.get(Organisation.create_id("unit-nea"))
    assert (organisation.kind, organisation.supervised_by, organisation.name) == ("unit", "group-nea", "国家能源局")
    with pytest.raises(NotFoundError):
        app.add_organisation_member(org_id="unit-none", user_id="a.b", name="甲", roles=["unit_liaison"])


def test_seeding_records_the_built_in_accounts_once_and_never_brings_back_a_removed_member(
    app: UnitsApplication,
) -> None:
    from gateway.accounts import ACCOUNTS, ORGS
    from paizhu.demo.membership import record_builtin_membership

    assert record_builtin_membership(app) == len(ORGS) + len(ACCOUNTS)
    assert record_builtin_membership(app) == 0
    app.remove_organisation_member(org_id="group-mee", user_id="zhou.min", reason="调离 (transferred)")
    assert record_builtin_membership(app) == 0
    assert "zhou.min" not in app.repository.get(Organisation.create_id("group-mee")).members
