"""The processes of the distributed mode (and the store-level tools that work in both modes)."""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from events.catalog import load_all
from events.topics import topic_for
from gateway.auth import Authenticator, demo_password_hashes
from gateway.clients import HttpClient, Services
from gateway.deps import GatewayRuntime, ReadModelsAccess
from gateway.sign_in_limits import shared_sign_in_limits
from paizhu.forensics.evidence import export_case_bundle
from paizhu.keys import Keys, Process, load_keys
from paizhu.services import available_services, build_app
from paizhu.settings import Settings
from projections.catalog import available as available_projections
from projections.common.db import connect
from projections.membership.view import CommittedGeneration, MembershipView
from runtime.policy_runners import KafkaPolicyRunner
from runtime.projection_feeds import KafkaFeed, LogFollower
from runtime.projection_runner import ProjectionRunner
from runtime.relay import Relay, kafka_producer
from runtime.retry import run_forever
from runtime.server import create_service_app
from runtime.singleton import SingletonLock
from runtime.topic_guard import TopicGuard, check_partitions
from services.common.application import ServiceApplication
from services.common.integrity import Checkpointer

log = logging.getLogger(__name__)


def open_stores(settings: Settings) -> tuple[dict[str, ServiceApplication], Keys]:
    load_all()
    keys = load_keys(settings)
    return {s: build_app(settings, keys, s) for s in available_services()}, keys


def _token(settings: Settings) -> str | None:
    return settings.service_token.get_secret_value() if settings.service_token else None


def service_process(settings: Settings, name: str) -> tuple[Any, threading.Event]:
    """One service: its command interface; its policies consume the other services' topics."""
    load_all()
    keys = load_keys(settings, Process("service", name))
    app = build_app(settings, keys, name)
    stop = threading.Event()
    if app.has_policies:
        sources = list(app.consumes) or [s for s in available_services() if s != name]
        runner = KafkaPolicyRunner(app, settings.kafka_bootstrap, sources, partitions=settings.kafka_partitions)
        threading.Thread(target=runner.run, args=(stop,), name=f"policies-{name}", daemon=True).start()
    if app.scheduler_command:
        threading.Thread(target=_scheduler, args=(app, settings.scheduler_interval_seconds, stop),
                         name=f"scheduler-{name}", daemon=True).start()
    return create_service_app(app, _token(settings)), stop


def _scheduler(app: ServiceApplication, interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            app.run_scheduled()
        except Exception:
            log.exception("scheduler of %s failed", app.name)
        stop.wait(interval)


def relay_process(settings: Settings, name: str, stop: threading.Event) -> None:
    """Publish the service's log to Kafka; sign a checkpoint of it now and then."""
    from events.kafka import ensure_topics

    load_all()
    keys = load_keys(settings, Process("relay", name))
    app = build_app(settings, keys, name)
    check_partitions(settings.kafka_bootstrap, [topic_for(name)], settings.kafka_partitions)
    ensure_topics(settings.kafka_bootstrap, [topic_for(name)], settings.kafka_partitions)
    lock = SingletonLock(settings.pg_dsn(), f"relay {name}")  # one relay per service
    relay = Relay(app, None, new_producer=lambda: kafka_producer(settings.kafka_bootstrap),
                  guard=TopicGuard(settings.kafka_bootstrap, topic_for(name), settings.kafka_partitions), lock=lock,
                  partitions=settings.kafka_partitions)
    signer = Checkpointer(keys.checkpoint_private_key())

    def checkpoints() -> None:
        while not stop.wait(settings.checkpoint_interval_seconds):
            if not lock.held:
                continue  # the standby signs nothing
            try:
                signer.checkpoint(app)
            except Exception:
                log.exception("checkpoint of %s failed", name)

    threading.Thread(target=checkpoints, daemon=True).start()
    log.info("relay %s -> %s from position %s", name, relay.topic, relay.position())
    try:
        relay.run(stop)  # SIGTERM: the batch in hand is published and its position saved, then it returns
        if lock.held:
            signer.checkpoint(app)  # the final checkpoint covers everything published
            log.info("relay %s stopped at position %s", name, relay.position())
    finally:
        relay.close()
        lock.close()
        app.close()


def projector_process(settings: Settings, name: str, stop: threading.Event) -> None:
    load_all()
    load_keys(settings, Process("projector", name))  # it holds none; says so if handed any
    projection_class = available_projections()[name]
    runner = ProjectionRunner(projection_class(), connect(settings.read_models_url(), settings.read_model_pool_size))
    # a changed read model is rebuilt from the beginning of the topics (kept forever, see deploy/kafka.md)
    runner.setup(on_change="rebuild" if settings.rebuild_changed_projections else "refuse")
    topics = [topic_for(s) for s in available_services()]
    check_partitions(settings.kafka_bootstrap, topics, settings.kafka_partitions)
    log.info("projection %s consuming %s", name, topics)
    url = settings.read_models_url()
    partitioned = settings.kafka_partitions > 1
    # one partition: one projector per read model (a second one waits as a standby); partitioned topics: the
    # projectors of a read model form a consumer group and share the partitions (no lock: see KafkaFeed)
    postgres = url.startswith(("postgresql://", "postgres://"))
    lock = SingletonLock(url, f"projector {name}") if postgres and not partitioned else None
    feed = KafkaFeed(runner, settings.kafka_bootstrap, topics, lock=lock, partitions=settings.kafka_partitions,
                     group=f"paizhu.projector.{name}" if partitioned else None)
    # a fault of the broker or the read-model database ends one run; the next resumes from the stored offsets
    try:
        run_forever(lambda: feed.run(stop), stop, f"projector {name}")  # SIGTERM: the batch in hand commits first
    finally:
        if lock is not None:
            lock.close()
        runner.db.close()
    log.info("projection %s stopped", name)


def gateway_runtime(settings: Settings) -> GatewayRuntime:
    load_all()
    keys = load_keys(settings, Process("gateway"))
    db = connect(settings.read_models_url(), settings.read_model_pool_size)
    runners = {}
    for name, projection_class in available_projections().items():
        runners[name] = ProjectionRunner(projection_class(), db)
        runners[name].setup(on_change="leave")  # the projector owns the read model's schema version
    builtin = settings.builtin_accounts_enabled()
    hashes = demo_password_hashes(None) if builtin else {}
    limiter = shared_sign_in_limits(db)  # every worker counts the same failures
    cache = settings.membership_cache_ms / 1000
    membership = MembershipView(db, generation=CommittedGeneration(db, max_age=cache) if cache else None)
    clients = {s: HttpClient(settings.service_url(s), _token(settings)) for s in available_services()}
    return GatewayRuntime(
        services=Services(clients),  # type: ignore[arg-type]
        authenticator=Authenticator(
            token_key=keys.token_signing, password_hashes=hashes, ttl_minutes=settings.token_ttl_minutes,
            oidc_jwks_url=settings.oidc_jwks_url, oidc_issuer=settings.oidc_issuer,
            oidc_audience=settings.oidc_audience, membership=membership, builtin_accounts=builtin, limiter=limiter,
        ),
        read_models=ReadModelsAccess(db, runners),
        mode="distributed",
        session_idle_minutes=settings.session_idle_minutes,
        readiness={f"service:{s}": client.position for s, client in clients.items()},  # not ready while one is down
        operator_token=(settings.operator_token.get_secret_value() if settings.operator_token else _token(settings)),
        evidence=functools.partial(export_case_bundle, settings),
    )


def rebuild_projection(settings: Settings, name: str) -> tuple[int, str]:
    """Drop a read model and rebuild it from the services' stores; return (events read, checksum)."""
    apps, _ = open_stores(settings)
    projection_class = available_projections()[name]
    db = connect(settings.read_models_url(), settings.read_model_pool_size)
    runner = ProjectionRunner(projection_class(), db)
    runner.reset()
    wanted = runner.projection.event_types
    count = LogFollower(runner, {s: a.reader_for(wanted) for s, a in apps.items()}, batch=5000).run_once()
    return count, runner.projection.checksum(db)
