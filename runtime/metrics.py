"""Prometheus metrics of every process: the OpenTelemetry instruments of `runtime.telemetry`, exposed by
the OpenTelemetry Prometheus exporter at `/metrics` — on the HTTP server's own port (gateway, services) or
on a small metrics server (relays, projectors, which serve no HTTP otherwise).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from opentelemetry import metrics

log = logging.getLogger(__name__)

_lock = threading.Lock()
_configured = False


def configure_metrics(resource: Any = None, otlp: bool = False) -> None:
    """Install the process's meter provider (once): Prometheus always, OTLP too when `otlp`."""
    global _configured
    from opentelemetry.exporter.prometheus import PrometheusMetricReader
    from opentelemetry.sdk.metrics import MeterProvider

    with _lock:
        if _configured or isinstance(metrics.get_meter_provider(), MeterProvider):
            _configured = True
            return
        readers: list[Any] = [PrometheusMetricReader()]
        if otlp:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
        kwargs = {"resource": resource} if resource is not None else {}
        metrics.set_meter_provider(MeterProvider(metric_readers=readers, **kwargs))
        _configured = True


def exposition() -> tuple[bytes, str]:
    """The current metrics in Prometheus text format, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def install_metrics_route(app: Any) -> None:
    """Serve `/metrics` on a FastAPI application (gateway, service HTTP servers)."""
    from fastapi import Response

    def metrics_endpoint() -> Response:
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    app.add_api_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)


def start_metrics_server(port: int | None, host: str = "0.0.0.0") -> Any:  # noqa: S104 - scraped from outside
    """For processes without an HTTP server (relays, projectors): serve `/metrics` on `port` in a daemon
    thread. None: no server. Returns the server (so a caller or test can shut it down)."""
    if port is None:
        return None
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=host)
    log.info("metrics on http://%s:%s/metrics", host, server.server_port)
    return server
