"""The gateway's per-request membership lookup: one statement with the same answer as the organisation's own
reads, and, given a generation, answered from memory exactly while the generation has not moved."""

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
    app.add_organisation_member(org_id="unit-nea", user_id="lin.liaison", name="林", roles=["unit_liaison"])
    return app


@pytest.fixture
def runner(app: UnitsApplication) -> ProjectionRunner:
    runner = ProjectionRunner(Membership(), SqliteDatabase(":memory:"))
    runner.setup()
    LogFollower(runner, {"units": app.integration_events}).run_once()
    return runner


def follow(runner: ProjectionRunner, app: UnitsApplication) -> None:
    LogFollower(runner, {"units": app.integration_events}).run_once()


def test_the_one_statement_answers_as_the_separate_reads(runner: ProjectionRunner) -> None:
    view = MembershipView(runner.db)
    for user, org in (("gao.lead", "group-nea"), ("lin.liaison", "unit-nea"), ("gao.lead", "unit-nea"),
                      ("nobody", "group-nea"), ("gao.lead", "group-none")):
        member, organisation = view.member(user, org), view.organisation(org)
        expected = (member, organisation) if member is not None and organisation is not None else None
        assert view.membership(user, org) == expected
    found = view.membership("gao.lead", "group-nea")
    assert found is not None and found[1].supervises == ("unit-coal", "unit-nea")
    unit = view.membership("lin.liaison", "unit-nea")
    assert unit is not None and (unit[1].kind, unit[1].supervises, unit[0].roles) == ("unit", (), ("unit_liaison",))


def test_many_organisations_in_one_read_answer_as_one_at_a_time(runner: ProjectionRunner) -> None:
    view = MembershipView(runner.db)
    asked = ["group-nea", "unit-nea", "unit-coal", "group-none", "group-nea"]
    found = view.organisations(asked)
    assert found == {org: view.organisation(org) for org in asked if view.organisation(org) is not None}
    assert set(found) == {"group-nea", "unit-nea", "unit-coal"}
    assert found["group-nea"].supervises == ("unit-coal", "unit-nea") and found["unit-nea"].supervises == ()
    assert view.organisations([]) == {}


def test_without_a_generation_every_lookup_reads_the_read_model(app: UnitsApplication, runner: ProjectionRunner) -> None:
    view = MembershipView(runner.db)
    assert view.membership("gao.lead", "group-nea") is not None
    app.remove_organisation_member(org_id="group-nea", user_id="gao.lead", reason="调任 (transferred)")
    follow(runner, app)
    assert view.membership("gao.lead", "group-nea") is None


def test_with_a_generation_the_answer_is_kept_until_it_moves(app: UnitsApplication, runner: ProjectionRunner) -> None:
    generation = [0]
    view = MembershipView(runner.db, generation=lambda: generation[0])
    assert view.membership("gao.lead", "group-nea") is not None
    assert view.membership("yu.staff", "group-nea") is None  # absences are kept too
    app.remove_organisation_member(org_id="group-nea", user_id="gao.lead", reason="调任 (transferred)")
    app.add_organisation_member(org_id="group-nea", user_id="yu.staff", name="于", roles=["group_staff"])
    follow(runner, app)
    # the read model moved but the generation did not: the kept answers (a projector raises it after committing)
    assert view.membership("gao.lead", "group-nea") is not None
    assert view.membership("yu.staff", "group-nea") is None
    generation[0] += 1
    assert view.membership("gao.lead", "group-nea") is None
    joined = view.membership("yu.staff", "group-nea")
    assert joined is not None and joined[0].roles == ("group_staff",)
