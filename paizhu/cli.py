"""The `paizhu` command line: the embedded platform, each process of the distributed mode, and tools."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from paizhu.settings import Settings

app = typer.Typer(help="派驻监督平台 Paizhu", no_args_is_help=True, add_completion=False)


def _settings(**overrides: object) -> Settings:
    settings = Settings()
    changes = {k: v for k, v in overrides.items() if v is not None}
    return settings.model_copy(update=changes) if changes else settings


def _logging(settings: Settings, process: str = "paizhu", metrics_server: bool = False) -> None:
    """Logs, traces and metrics of this process; `metrics_server` for processes that serve no HTTP."""
    from runtime.logging import configure_logging
    from runtime.metrics import start_metrics_server
    from runtime.telemetry import configure

    json_lines = {"json": True, "console": False}.get(settings.log_format)
    configure_logging(settings.log_level, process, json_lines=json_lines)
    configure(process)
    if metrics_server:
        start_metrics_server(settings.metrics_port, settings.metrics_host)


_UVICORN_LOGS = {"log_config": None, "access_log": False}
"""uvicorn logs through the process's handler; the access line is written per request by the app."""


@contextmanager
def _refusal() -> Iterator[None]:
    """A process that refuses to start says why in one line (exit code 3), not with a traceback."""
    from projections.common.projection import ProjectionSchemaChanged

    try:
        yield
    except ProjectionSchemaChanged as error:
        logging.getLogger("paizhu").error("%s", error)
        typer.echo(str(error), err=True)
        raise typer.Exit(3) from None


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="where stores, read models and keys live")] = None,
    demo: Annotated[bool | None, typer.Option(help="seed the demo scenario on first start")] = None,
) -> None:
    """Start the embedded platform (all services, policies, projections and the gateway) in one process."""
    import uvicorn

    from gateway.main import create_app
    from paizhu.demo import seed_demo
    from paizhu.platform import Platform
    settings = _settings(host=host, port=port, data_dir=data_dir, demo=demo, mode="embedded")
    _logging(settings)
    with _refusal():
        platform = Platform(settings)
    if settings.demo and seed_demo(platform):
        typer.echo("demo data seeded / 已写入演示数据")
    platform.start()
    typer.echo(f"Paizhu embedded platform on http://{settings.host}:{settings.port}  (data: {settings.data_dir})")
    try:
        uvicorn.run(create_app(platform.gateway_runtime()), host=settings.host, port=settings.port,
                    log_level=settings.log_level.lower(), **_UVICORN_LOGS)
    finally:
        platform.stop()


@app.command()
def demo(data_dir: Annotated[Path | None, typer.Option()] = None) -> None:
    """Seed the demo scenario into the embedded stores (once)."""
    from paizhu.demo import seed_demo
    from paizhu.platform import Platform

    settings = _settings(data_dir=data_dir, mode="embedded")
    _logging(settings)
    platform = Platform(settings)
    try:
        typer.echo("seeded" if seed_demo(platform) else "stores already hold data; nothing seeded")
    finally:
        platform.stop()


@app.command()
def service(name: str, host: str = "127.0.0.1", port: Annotated[int | None, typer.Option()] = None) -> None:
    """Distributed: run one service's command interface (and its policies, consuming Kafka)."""
    import uvicorn

    from paizhu.distributed import service_process

    settings = _settings(mode="distributed")
    _logging(settings, f"paizhu-{name}")
    api, stop = service_process(settings, name)
    default_port = int(settings.service_url(name).rsplit(":", 1)[1])
    try:
        uvicorn.run(api, host=host, port=port or default_port, log_level=settings.log_level.lower(), **_UVICORN_LOGS)
    finally:
        stop.set()


@app.command()
def relay(name: str) -> None:
    """Distributed: publish one service's notification log to its Kafka topic."""
    from paizhu.distributed import relay_process

    settings = _settings(mode="distributed")
    _logging(settings, f"paizhu-relay-{name}", metrics_server=True)
    relay_process(settings, name, _stop_event())


@app.command()
def project(name: str) -> None:
    """Distributed: run one projection, consuming Kafka into the read-model database."""
    from paizhu.distributed import projector_process

    settings = _settings(mode="distributed")
    _logging(settings, f"paizhu-projector-{name}", metrics_server=True)
    with _refusal():
        projector_process(settings, name, _stop_event())


@app.command()
def gateway(host: str = "127.0.0.1", port: Annotated[int | None, typer.Option()] = None) -> None:
    """Distributed: run the gateway (HTTP API and portals)."""
    import uvicorn

    from gateway.main import create_app
    from paizhu.distributed import gateway_runtime

    settings = _settings(mode="distributed")
    _logging(settings, "paizhu-gateway")
    uvicorn.run(create_app(gateway_runtime(settings)), host=host, port=port or settings.port,
                log_level=settings.log_level.lower(), **_UVICORN_LOGS)


@app.command()
def rebuild(name: str) -> None:
    """Rebuild a projection from the services' stores (no Kafka) and print its checksum."""
    from paizhu.distributed import rebuild_projection

    settings = _settings()
    _logging(settings)
    count, checksum = rebuild_projection(settings, name)
    typer.echo(json.dumps({"projection": name, "events": count, "checksum": checksum}))


@app.command()
def checkpoint() -> None:
    """Sign a checkpoint of every service's notification log now."""
    from paizhu.distributed import open_stores
    from services.common.integrity import Checkpointer

    settings = _settings()
    _logging(settings)
    apps, keys = open_stores(settings)
    signer = Checkpointer(keys.checkpoint_private_key())
    for name, service_app in apps.items():
        position = signer.checkpoint(service_app)
        typer.echo(f"{name}: {'checkpoint at position ' + str(position) if position else 'nothing new'}")


@app.command()
def verify(as_json: Annotated[bool, typer.Option("--json", help="print a JSON report")] = False) -> None:
    """Walk every store; check every hash chain and signed checkpoint. Exit code 0 only when intact."""
    from paizhu.verify import run_verify

    code = run_verify(_settings(), as_json=as_json)
    raise typer.Exit(code)


@app.command()
def openapi() -> None:
    """Print the gateway's OpenAPI document."""
    from gateway.main import create_app
    from paizhu.platform import Platform

    platform = Platform(_settings(mode="embedded"), in_memory=True)
    try:
        document = create_app(platform.gateway_runtime()).openapi()
    finally:
        platform.stop()
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@app.command()
def schemas() -> None:
    """Export the JSON Schema of every integration-event contract to events/schemas/."""
    from events.catalog import load_all
    from events.registry import contract_drift, export_schemas

    load_all()
    for path in export_schemas():
        typer.echo(f"wrote {path}")
    for problem in contract_drift():
        typer.echo(f"DRIFT: {problem}", err=True)


if __name__ == "__main__":
    app()
