"""OpenTelemetry: the tracer and instruments shared by services, relays, projections and the gateway, and the
process set-up.

Set-up: exporters from the standard OTEL_* variables; nothing exported when unset.
Sampling: the standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG when set; otherwise Paizhu's
default, parent-based with 10% of new traces sampled (a request's whole trace is kept or dropped).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.context import Context
from opentelemetry.metrics import CallbackOptions, Observation
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

_alarms: dict[str, int] = {}


def _observe_alarms(_: CallbackOptions) -> Iterable[Observation]:
    return [Observation(value, {"alarm": name}) for name, value in sorted(_alarms.items())]


alarms = meter.create_observable_gauge(
    "paizhu.alarm", callbacks=[_observe_alarms], description="1 while the named alarm is raised, else 0"
)


def raise_alarm(name: str) -> None:
    """Set the alarm gauge `paizhu_alarm{alarm=name}` to 1 (e.g. "topic offsets went backwards")."""
    if _alarms.get(name) != 1:
        logging.getLogger(__name__).error("alarm raised: %s", name, extra={"alarm": name})
    _alarms[name] = 1


def clear_alarm(name: str) -> None:
    """Set the alarm gauge `paizhu_alarm{alarm=name}` back to 0."""
    if _alarms.get(name) == 1:
        logging.getLogger(__name__).warning("alarm cleared: %s", name, extra={"alarm": name})
    _alarms[name] = 0


def alarm_raised(name: str) -> bool:
    return _alarms.get(name) == 1


def span(name: str) -> AbstractContextManager[Any]:
    """`tracer.start_as_current_span(name)`, except inside a trace that is not being recorded: there the span
    would be dropped anyway (the sampler follows the parent's decision, and the standard samplers that do
    not decide the same for every span of one trace id), so it is not made at all. A root span (no current
    span) is always started: that is where the sampler decides."""
    current = trace.get_current_span()
    if not current.is_recording() and current.get_span_context().is_valid:
        return nullcontext()
    return tracer.start_as_current_span(name)


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


DEFAULT_SAMPLE_RATIO = 0.1


def build_tracer_provider(resource: Any = None) -> Any:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    if os.environ.get("OTEL_TRACES_SAMPLER"):
        return TracerProvider(resource=resource)  # the SDK reads the OTEL_TRACES_SAMPLER* variables
    ratio = float(os.environ.get("OTEL_TRACES_SAMPLER_ARG", DEFAULT_SAMPLE_RATIO))
    return TracerProvider(resource=resource, sampler=ParentBased(TraceIdRatioBased(ratio)))


def _otlp_configured() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configure(service_name: str) -> None:
    """Install the SDK providers once per process: metrics always (Prometheus, plus OTLP when configured);
    traces when an OTLP endpoint is configured (without one, a request's log lines carry the caller's trace
    id or a fresh one)."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    from runtime.metrics import configure_metrics

    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
    configure_metrics(resource, otlp=_otlp_configured())
    if not _otlp_configured() or isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = build_tracer_provider(resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    logging.getLogger(__name__).info("OpenTelemetry export enabled")
