"""OpenTelemetry helpers shared by services, relays, projections and the gateway."""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry import metrics, trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

tracer = trace.get_tracer("paizhu")
meter = metrics.get_meter("paizhu")
_propagator = TraceContextTextMapPropagator()

command_latency = meter.create_histogram(
    "paizhu.command.duration", unit="ms", description="time to run one command"
)
relay_lag = meter.create_histogram(
    "paizhu.relay.lag", unit="ms", description="event recorded -> broker acknowledged"
)
projection_lag = meter.create_histogram(
    "paizhu.projection.lag", unit="ms", description="event recorded -> read model committed"
)
dead_letters = meter.create_counter(
    "paizhu.projection.dead_letters", description="events parked because they could not be decoded"
)


def current_traceparent() -> str:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent", "")


def context_from_traceparent(traceparent: str) -> Context | None:
    if not traceparent:
        return None
    return _propagator.extract({"traceparent": traceparent})


def context_from_headers(headers: Mapping[str, str]) -> Context:
    return _propagator.extract(dict(headers))
