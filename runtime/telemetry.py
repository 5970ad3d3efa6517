"""OpenTelemetry: the tracer and instruments shared by services, relays, projections and the gateway, and the
process set-up.

Set-up: exporters from the standard OTEL_* variables; nothing exported when unset.
Sampling: the standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG when set; otherwise Paizhu's
default, parent-based with 10% of new traces sampled (a request's whole trace is kept or dropped).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

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


DEFAULT_SAMPLE_RATIO = 0.1


def build_tracer_provider(resource: Any = None) -> Any:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    if os.environ.get("OTEL_TRACES_SAMPLER"):
        return TracerProvider(resource=resource)  # the SDK reads the OTEL_TRACES_SAMPLER* variables
    ratio = float(os.environ.get("OTEL_TRACES_SAMPLER_ARG", DEFAULT_SAMPLE_RATIO))
    return TracerProvider(resource=resource, sampler=ParentBased(TraceIdRatioBased(ratio)))


def configure(service_name: str) -> None:
    """Install SDK providers when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT)."""
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") and not os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        return
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
    provider = build_tracer_provider(resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(
        MeterProvider(resource=resource, metric_readers=[PeriodicExportingMetricReader(OTLPMetricExporter())])
    )
    logging.getLogger(__name__).info("OpenTelemetry export enabled")
