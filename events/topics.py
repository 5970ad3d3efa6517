"""Kafka topic names."""

from __future__ import annotations

SERVICES = ("ledgers", "clues", "inspections", "units")
DEAD_LETTER_TOPIC = "paizhu.deadletter.v1"


def topic_for(service: str) -> str:
    return f"paizhu.{service}.v1"


def service_of(topic: str) -> str:
    """The service whose topic this is (`paizhu.ledgers.v1` -> `ledgers`)."""
    return topic.removeprefix("paizhu.").rsplit(".v", 1)[0]
