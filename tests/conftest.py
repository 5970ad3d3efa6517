"""Shared fixtures: a real PostgreSQL (started by `make test`) and a real Kafka-protocol broker (Tansu)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.support import create_database, drop_database, pg_env, start_broker


def broker_with_topics(partitions: int) -> Iterator[str]:
    """A fresh Tansu broker (Kafka protocol, memory storage) on a free port whose service topics have this many
    partitions (the broker would auto-create them with several); its bootstrap address."""
    process, bootstrap = start_broker()
    try:
        from events.kafka import ensure_topics
        from events.topics import DEAD_LETTER_TOPIC, SERVICES, topic_for

        ensure_topics(bootstrap, [*map(topic_for, SERVICES), DEAD_LETTER_TOPIC], partitions=partitions)
        yield bootstrap
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def fresh_database() -> Iterator[str]:
    """A fresh database on the test PostgreSQL (dropped afterwards)."""
    name = create_database("paizhu_t_")
    try:
        yield name
    finally:
        drop_database(name)


@pytest.fixture(scope="module")
def kafka_bootstrap() -> Iterator[str]:
    """A fresh broker per test module; Paizhu's topics have one partition by default."""
    yield from broker_with_topics(1)


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    """A fresh database for one test module (dropped afterwards)."""
    with fresh_database() as name:
        yield name


def distributed_env(dbname: str, bootstrap: str, data_dir: Path) -> dict[str, str]:
    """Environment of a distributed deployment on the test PostgreSQL and broker."""
    from events.sealed import generate_keypair

    private, _ = generate_keypair()
    import base64
    import secrets

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return {
        "PAIZHU_MODE": "distributed",
        "PAIZHU_DATA_DIR": str(data_dir),
        **pg_env(dbname),
        "PAIZHU_KAFKA_BOOTSTRAP": bootstrap,
        "PAIZHU_CIPHER_KEYS": f'{{"clues": "{base64.b64encode(secrets.token_bytes(32)).decode()}"}}',
        "PAIZHU_CHECKPOINT_SIGNING_KEY": base64.b64encode(signing).decode(),
        "PAIZHU_TOKEN_SIGNING_KEY": secrets.token_urlsafe(32),
        "PAIZHU_CLUES_SEALING_PRIVATE_KEY": private,
        "PAIZHU_SERVICE_TOKEN": secrets.token_urlsafe(16),
    }


@pytest.fixture(scope="module")
def distributed(pg_database: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of a distributed deployment on a fresh database (one per test module)."""
    return distributed_env(pg_database, kafka_bootstrap, tmp_path_factory.mktemp("data"))


def settings_from(env: dict[str, str]):  # type: ignore[no-untyped-def]
    """Settings exactly as a process started with `env` would read them."""
    from paizhu.settings import Settings

    previous = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return Settings()
    finally:
        for k, v in previous.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def read_topic(bootstrap: str, topic: str, timeout: float = 30.0) -> list:  # type: ignore[type-arg]
    """Every message of a topic (partition 0) up to its current end."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    try:  # closed on a timeout too: its IO thread would go on logging after the broker is gone
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        end = consumer.end_offsets([tp])[tp]
        consumer.seek_to_beginning(tp)
        messages = []
        deadline = time.monotonic() + timeout
        while consumer.position(tp) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"read {len(messages)} of {end} messages of {topic}")
            for batch in consumer.poll(timeout_ms=500).values():
                messages.extend(batch)
    finally:
        consumer.close()
    return messages


def last_published(app) -> int:  # type: ignore[no-untyped-def]
    """The position of the service's newest integration event (what a read model can reach: the log may end
    with events that are never published, such as checkpoints)."""
    envelopes, _ = app.integration_events(0, 1_000_000)
    return int(envelopes[-1].position) if envelopes else 0
