"""Distributed mode: organisations and members recorded in the units store (PostgreSQL) reach the gateway
through the relay, Kafka and the membership projector; the gateway trusts a token only for an active member."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from events.catalog import load_all
from events.topics import topic_for
from gateway.main import create_app
from paizhu.distributed import gateway_runtime
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import SqliteDatabase, connect
from projections.membership.projection import Membership
from runtime.projection_feeds import KafkaFeed, LogFollower
from runtime.projection_runner import ProjectionRunner
from runtime.relay import Relay, kafka_producer
from tests.conftest import settings_from
from tests.unit.membership.support import AUDIENCE, ISSUER, Provider, embedded_token, identity_provider

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with identity_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def env(distributed: dict[str, str], provider: Provider) -> dict[str, str]:
    return {**distributed, "PAIZHU_OIDC_JWKS_URL": provider.url, "PAIZHU_OIDC_ISSUER": ISSUER,
            "PAIZHU_OIDC_AUDIENCE": AUDIENCE}


@pytest.fixture(scope="module")
def recorded(env: dict[str, str]) -> Iterator[Any]:
    """The units store with an organisation the old hard-coded list never had, published to Kafka."""
    load_all()
    settings = settings_from(env)
    units = build_app(settings, load_keys(settings), "units")
    units.register_organisation(org_id="group-nea", org_kind="group", name="驻国家能源局纪检监察组")
    units.register_unit(group_id="group-nea", unit_id="unit-nea", name="国家能源局", party_group_name="国家能源局党组")
    units.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰", roles=["group_leader"])
    units.add_organisation_member(org_id="unit-nea", user_id="lin.liaison", name="林", roles=["unit_liaison"])
    units.add_organisation_member(org_id="group-nea", user_id="yu.staff", name="于", roles=["group_staff"])
    units.remove_organisation_member(org_id="group-nea", user_id="yu.staff", reason="调任 (transferred)")
    relay = Relay(units, kafka_producer(settings.kafka_bootstrap))
    while relay.run_once():
        pass
    relay.producer.close()
    runner = ProjectionRunner(Membership(), connect(settings.read_models_url()))
    runner.setup()
    published = len(units.integration_events(0, 1000)[0])
    KafkaFeed(runner, settings.kafka_bootstrap, [topic_for("units")]).run(threading.Event(), max_events=published)
    try:
        yield units, runner
    finally:
        runner.db.close()
        units.close()


@pytest.fixture(scope="module")
def client(env: dict[str, str], recorded: Any) -> Iterator[TestClient]:
    runtime = gateway_runtime(settings_from(env))
    try:
        with TestClient(create_app(runtime)) as client:
            yield client
    finally:
        runtime.read_models.db.close()


def me(client: TestClient, token: str) -> Any:
    return client.get("/api/session/me", headers={"Authorization": f"Bearer {token}"})


def test_a_member_of_an_organisation_known_only_to_the_history_signs_in_with_oidc(
    client: TestClient, provider: Provider
) -> None:
    leader = me(client, provider.token("gao.lead", "group-nea"))
    assert leader.status_code == 200, leader.text
    assert (leader.json()["org_name"], leader.json()["roles"]) == ("驻国家能源局纪检监察组", ["group_leader"])
    liaison = me(client, provider.token("lin.liaison", "unit-nea"))
    assert liaison.status_code == 200, liaison.text
    assert liaison.json()["org_kind"] == "unit"


def test_strangers_former_members_and_built_in_accounts_are_refused(
    client: TestClient, provider: Provider, env: dict[str, str]
) -> None:
    assert me(client, provider.token("ghost.user", "group-nea", ["group_leader"])).status_code == 401
    assert me(client, provider.token("yu.staff", "group-nea")).status_code == 401
    assert me(client, provider.token("gao.lead", "group-mee")).status_code == 401
    # the built-in accounts are off in distributed mode: no sign-in, and the gateway's own tokens are refused
    login = client.post("/api/session/login", json={"user_id": "li.na", "password": "paizhu-demo"})
    assert login.status_code == 401 and login.json()["error"]["code"] == "builtin_accounts_disabled"
    key = settings_from(env).token_signing_key
    assert key is not None
    assert me(client, embedded_token(key.get_secret_value(), "gao.lead", "group-nea", ["group_leader"])).status_code == 401


def publish_and_project(units: Any, runner: ProjectionRunner, env: dict[str, str], events: int) -> None:
    """The relay publishes what the units store recorded; the membership projector commits `events` more."""
    bootstrap = settings_from(env).kafka_bootstrap
    relay = Relay(units, kafka_producer(bootstrap))
    while relay.run_once():
        pass
    relay.producer.close()
    KafkaFeed(runner, bootstrap, [topic_for("units")]).run(threading.Event(), max_events=events)


def test_a_removed_member_is_refused_within_the_cache_bound(
    client: TestClient, provider: Provider, env: dict[str, str], recorded: Any
) -> None:
    units, runner = recorded
    bound = settings_from(env).membership_cache_ms / 1000
    assert bound == 0.25  # the default, as the README states it
    token = provider.token("he.staff", "group-nea")
    assert me(client, token).status_code == 401
    units.add_organisation_member(org_id="group-nea", user_id="he.staff", name="何", roles=["group_staff"])
    publish_and_project(units, runner, env, 1)
    time.sleep(bound)
    assert all(me(client, token).status_code == 200 for _ in range(5))  # admitted, and cached
    units.remove_organisation_member(org_id="group-nea", user_id="he.staff", reason="调任 (transferred)")
    publish_and_project(units, runner, env, 1)
    committed = time.monotonic()
    while True:
        asked = time.monotonic()
        if me(client, token).status_code != 200:
            break
        assert asked - committed < bound, "a removed member was served past the bound"
        time.sleep(0.01)
    assert me(client, token).status_code == 401


def test_the_read_model_rebuilt_from_the_store_equals_the_projected_one_and_sqlite_s(
    env: dict[str, str], recorded: Any
) -> None:
    units, runner = recorded
    projected = runner.projection.checksum(runner.db)
    runner.reset()  # what `paizhu rebuild membership` does: drop, then replay the store
    count = LogFollower(runner, {"units": units.integration_events}, batch=5000).run_once()
    assert count > 0 and runner.projection.checksum(runner.db) == projected
    sqlite = ProjectionRunner(Membership(), SqliteDatabase(":memory:"))
    sqlite.setup()
    LogFollower(sqlite, {"units": units.integration_events}).run_once()
    assert Membership().checksum(sqlite.db) == projected
