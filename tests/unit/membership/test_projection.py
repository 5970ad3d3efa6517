"""The membership read model: built from the roster and the account events; rebuilt, it is identical."""

from __future__ import annotations

import pytest

from events.catalog import load_all
from projections.common.db import SqliteDatabase
from projections.membership.projection import Membership
from projections.membership.view import MembershipView
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.units.application import UnitsApplication

load_all()


@pytest.fixture
def app() -> UnitsApplication:
    app = UnitsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.register_organisation(org_id="group-nea", org_kind="group", name="驻国家能源局纪检监察组")
    app.register_unit(group_id="group-nea", unit_id="unit-nea", name="国家能源局", party_group_name="国家能源局党组")
    app.register_organisation(org_id="unit-coal", org_kind="unit", name="国家矿山安全监察局", supervised_by="group-nea")
    app.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰", roles=["group_leader"])
    app.add_organisation_member(org_id="group-nea", user_id="yu.staff", name="于", roles=["group_staff"])
    app.add_organisation_member(org_id="unit-nea", user_id="lin.liaison", name="林", roles=["unit_liaison"])
    app.remove_organisation_member(org_id="group-nea", user_id="yu.staff", reason="调任 (transferred)")
    return app


def build(app: UnitsApplication) -> tuple[ProjectionRunner, MembershipView]:
    runner = ProjectionRunner(Membership(), SqliteDatabase(":memory:"))
    runner.setup()
    LogFollower(runner, {"units": app.integration_events}).run_once()
    return runner, MembershipView(runner.db)


def test_groups_supervise_the_units_of_the_roster_and_of_the_registrations(app: UnitsApplication) -> None:
    _, view = build(app)
    group = view.organisation("group-nea")
    assert group is not None and group.supervises == ("unit-coal", "unit-nea")
    unit = view.organisation("unit-nea")
    assert unit is not None and (unit.kind, unit.unit_id, unit.name) == ("unit", "unit-nea", "国家能源局")


def test_only_active_members_are_members(app: UnitsApplication) -> None:
    _, view = build(app)
    leader = view.member("gao.lead", "group-nea")
    assert leader is not None and leader.roles == ("group_leader",)
    assert view.member("yu.staff", "group-nea") is None
    assert view.member("gao.lead", "unit-nea") is None
    assert [m.user_id for m in view.members_of("group-nea")] == ["gao.lead"]
    assert set(view.people(["lin.liaison", "ghost.user"])) == {"lin.liaison"}


def test_two_rebuilds_give_identical_tables(app: UnitsApplication) -> None:
    first, _ = build(app)
    second, _ = build(app)
    assert first.projection.checksum(first.db) == second.projection.checksum(second.db)
    first.reset()
    LogFollower(first, {"units": app.integration_events}).run_once()
    assert first.projection.checksum(first.db) == second.projection.checksum(second.db)
    app.add_organisation_member(org_id="unit-coal", user_id="new.one", name="新", roles=["unit_liaison"])
    LogFollower(first, {"units": app.integration_events}).run_once()
    assert first.projection.checksum(first.db) != second.projection.checksum(second.db)
