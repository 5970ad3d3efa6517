"""The `paizhu` command line: the embedded platform, each process of the distributed mode, and tools."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from events.topics import SERVICES
from paizhu.settings import Settings
from projections.catalog import PROJECTIONS
from runtime.collector import freeze_startup_heap

app = typer.Typer(
    help="派驻监督平台 Paizhu (resident supervision platform). 设置也可由 PAIZHU_* 环境变量给出 "
         "(settings may also come from PAIZHU_* environment variables).",
    no_args_is_help=True, add_completion=False,
)

# the valid names, from the catalogues: typer lists them in the help and rejects any other as a usage error
ServiceName = Enum("ServiceName", {name: name for name in SERVICES}, type=str)  # type: ignore[misc]
ProjectionName = Enum("ProjectionName", {name: name for name in PROJECTIONS}, type=str)  # type: ignore[misc]

# every command that reads or writes data takes --data-dir (PAIZHU_DATA_DIR otherwise; the distributed processes
# keep blobs there); `openapi` and `schemas` touch no data
DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir",
                 help="数据目录：存储、读模型、密钥、附件 (where stores, read models, keys and blobs live; "
                      "default ./data)"),
]
Host = Annotated[str, typer.Option(help="监听地址 (address to listen on)")]
Port = Annotated[int | None, typer.Option(help="监听端口 (port to listen on)")]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"paizhu {version('paizhu')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("paizhu (not installed)")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="显示版本并退出 (show the version and exit)")] = False,
) -> None:
    """派驻监督平台 Paizhu (resident supervision platform)."""


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
    from runtime.topic_guard import TopicMisconfigured

    try:
        yield
    except (ProjectionSchemaChanged, TopicMisconfigured) as error:
        logging.getLogger("paizhu").error("%s", error)
        typer.echo(str(error), err=True)
        raise typer.Exit(3) from None


def _exit_through_finally_on_sigterm() -> None:
    """SIGTERM ends the process by SystemExit(0), so its `finally` blocks run (the final checkpoint, the stores
    closed). uvicorn shuts down gracefully on SIGTERM and then raises the signal again with the handler it found;
    with the default one the process died right there, skipping them (issue #14). Also during start-up."""

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="监听地址 (address to listen on)")] = None,
    port: Port = None,
    data_dir: DataDir = None,
    demo: Annotated[bool | None, typer.Option(
        help="首次启动时写入演示数据 (seed the demo scenario on first start)")] = None,
    today: Annotated[str | None, typer.Option(
        help="演示/培训：时钟从该日开始走 YYYY-MM-DD (demo and training: the clock starts on that day)")] = None,
) -> None:
    """启动嵌入式平台 (start the embedded platform).

    所有服务、策略、投影和网关在一个进程中 (every service, policy, projection and the gateway in one process).
    """
    import uvicorn

    from gateway.main import create_app
    from paizhu.demo import seed_demo
    from paizhu.platform import Platform
    settings = _settings(host=host, port=port, data_dir=data_dir, demo=demo, mode="embedded")
    _logging(settings)
    clock = None
    if today is not None:
        from datetime import date as _date

        from services.common.clock import ShiftedClock
        try:
            clock = ShiftedClock(_date.fromisoformat(today))
        except ValueError as error:
            raise typer.BadParameter("日期格式应为 YYYY-MM-DD (expected YYYY-MM-DD)", param_hint="--today") from error
    _exit_through_finally_on_sigterm()
    with _refusal():
        platform = Platform(settings, clock=clock)
    try:
        if settings.demo and seed_demo(platform):  # all or nothing: interrupted, the next start removes it
            typer.echo("demo data seeded / 已写入演示数据")
        platform.start()
        typer.echo(f"Paizhu embedded platform on http://{settings.host}:{settings.port}  (data: {settings.data_dir})")
        api = create_app(platform.gateway_runtime())
        freeze_startup_heap()
        uvicorn.run(api, host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
                    **_UVICORN_LOGS)
    finally:
        platform.stop()


@app.command()
def demo(data_dir: DataDir = None) -> None:
    """写入演示数据 (seed the demo scenario into the embedded stores, once)."""
    from paizhu.demo import seed_demo
    from paizhu.platform import Platform

    settings = _settings(data_dir=data_dir, mode="embedded")
    _logging(settings)
    platform = Platform(settings)
    try:
        typer.echo("已写入演示数据 (seeded)" if seed_demo(platform)
                   else "存储中已有数据，未写入 (stores already hold data; nothing seeded)")
    finally:
        platform.stop()


@app.command()
def service(
    name: Annotated[ServiceName, typer.Argument(help="服务名 (the service)", show_default=False)],
    host: Host = "127.0.0.1",
    port: Annotated[int | None, typer.Option(
        help="监听端口，默认取自 PAIZHU_<NAME>_URL (port to listen on; default from PAIZHU_<NAME>_URL)")] = None,
    data_dir: DataDir = None,
) -> None:
    """分布式：运行一个服务 (distributed: run one service).

    服务的命令接口及其策略，策略消费 Kafka (its command interface and its policies, which consume Kafka).
    """
    import uvicorn

    from paizhu.distributed import service_process

    settings = _settings(mode="distributed", data_dir=data_dir)
    _logging(settings, f"paizhu-{name.value}")
    _exit_through_finally_on_sigterm()
    api, stop = service_process(settings, name.value)
    default_port = int(settings.service_url(name.value).rsplit(":", 1)[1])
    freeze_startup_heap()
    try:
        uvicorn.run(api, host=host, port=port or default_port, log_level=settings.log_level.lower(), **_UVICORN_LOGS)
    finally:
        stop.set()


@app.command()
def relay(
    name: Annotated[ServiceName, typer.Argument(help="服务名 (the service)", show_default=False)],
    data_dir: DataDir = None,
) -> None:
    """分布式：把一个服务的日志发布到 Kafka (distributed: relay one service's log to Kafka).

    发布到该服务的主题，并定期签署检查点 (to the service's topic; signs a checkpoint now and then).
    """
    from paizhu.distributed import relay_process

    settings = _settings(mode="distributed", data_dir=data_dir)
    _logging(settings, f"paizhu-relay-{name.value}", metrics_server=True)
    with _refusal():
        relay_process(settings, name.value, _stop_event())


@app.command()
def project(
    name: Annotated[ProjectionName, typer.Argument(help="投影名 (the projection)", show_default=False)],
    data_dir: DataDir = None,
) -> None:
    """分布式：运行一个投影 (distributed: run one projection).

    从 Kafka 消费，写入读模型库 (consumes Kafka into the read-model database).
    """
    from paizhu.distributed import projector_process

    settings = _settings(mode="distributed", data_dir=data_dir)
    _logging(settings, f"paizhu-projector-{name.value}", metrics_server=True)
    with _refusal():
        projector_process(settings, name.value, _stop_event())


@app.command()
def gateway(host: Host = "127.0.0.1", port: Port = None, data_dir: DataDir = None) -> None:
    """分布式：运行网关 (distributed: run the gateway, the HTTP API and portals)."""
    import uvicorn

    from gateway.main import create_app
    from paizhu.distributed import gateway_runtime

    settings = _settings(mode="distributed", data_dir=data_dir)
    workers = settings.gateway_workers or min(4, os.cpu_count() or 1)
    if workers > 1:
        # each worker process builds its gateway from the environment (its own read-model pool); missing
        # secrets are refused here, once, rather than by every worker the supervisor would start again
        from paizhu.keys import Process, load_keys

        load_keys(settings, Process("gateway"))
        if data_dir is not None:
            os.environ["PAIZHU_DATA_DIR"] = str(data_dir)
        _logging(settings, "paizhu-gateway")
        uvicorn.run("paizhu.cli:gateway_worker", factory=True, workers=workers, host=host,
                    port=port or settings.port, log_level=settings.log_level.lower(), **_UVICORN_LOGS)
        return
    _logging(settings, "paizhu-gateway")
    api = create_app(gateway_runtime(settings))
    freeze_startup_heap()
    uvicorn.run(api, host=host, port=port or settings.port, log_level=settings.log_level.lower(), **_UVICORN_LOGS)


def gateway_worker() -> Any:
    """One gateway worker's application (uvicorn's factory when `gateway_workers` is more than one): the
    settings from the PAIZHU_* environment, this process's logs and telemetry set up."""
    from gateway.main import create_app
    from paizhu.distributed import gateway_runtime

    _die_with_supervisor()
    settings = _settings(mode="distributed")
    _logging(settings, "paizhu-gateway")
    api = create_app(gateway_runtime(settings))
    freeze_startup_heap()
    return api


def _die_with_supervisor() -> None:
    """Linux: this worker is sent SIGTERM when the supervisor that started it dies, so a `kill -9` of the
    gateway leaves no worker behind holding its port (elsewhere: nothing done)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the supervisor died before this was set
        os.kill(os.getpid(), signal.SIGTERM)


@app.command()
def members(data_dir: DataDir = None) -> None:
    """记录内置账号的机构和成员 (record the built-in accounts' organisations and members where missing).

    写入单位服务的历史 (into the units service's history): seed data, resumable; one removed since stays removed.
    """
    from events.catalog import load_all
    from paizhu.demo.membership import record_builtin_membership
    from paizhu.keys import load_keys
    from paizhu.services import build_app

    settings = _settings(data_dir=data_dir)
    _logging(settings)
    load_all()
    units = build_app(settings, load_keys(settings), "units")  # the units store only
    try:
        recorded = record_builtin_membership(units)
    finally:
        units.close()
    typer.echo(f"已记录 {recorded} (recorded {recorded})")


class CalendarAction(StrEnum):
    record = "record"
    show = "show"


@app.command()
def calendar(
    action: Annotated[CalendarAction, typer.Argument(
        help="record：记录一年的节假日安排；show：显示各年日历来源 (record a year's arrangement; show each "
             "year's source)", show_default=False)],
    year: Annotated[int | None, typer.Option(help="年份，须与文件一致 (the year; must match the file)")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="安排文件，如 calendar/2027.toml，格式见 calendar/README.md (the arrangement file; its "
                       "format is in calendar/README.md)")] = None,
    by: Annotated[str, typer.Option(
        "--by", help="记录人（中央纪委国家监委机关工作人员）(who records it: an HQ operator)")] = "cli-operator",
    data_dir: DataDir = None,
) -> None:
    """工作日日历 (the working-day calendar: record a year's holidays from the State Council notice, or show it).

    记录写入台账服务的历史并发布给其他服务；该年按周一至周五暂计的期限随之重新计算 (the arrangement goes into the
    ledgers service's history and is published to the others; deadlines counted Monday–Friday in that year are
    recomputed, each by a new event).
    """
    from pydantic import ValidationError

    from events.catalog import load_all
    from paizhu.keys import load_keys
    from paizhu.services import build_app
    from services.common.context import CommandContext
    from services.common.errors import DomainError
    from services.common.workdays import Arrangement
    from services.ledgers.interface import ListCalendarArrangements, RecordCalendarArrangement

    settings = _settings(data_dir=data_dir)
    _logging(settings)
    load_all()
    ledgers = build_app(settings, load_keys(settings), "ledgers")  # the ledgers store only
    try:
        with ledgers.acting(CommandContext(actor={"user": by, "org": "hq", "role": "hq_staff"})):
            if action is CalendarAction.show:
                shown = ledgers.execute(ListCalendarArrangements())
                typer.echo(json.dumps(shown.model_dump(mode="json"), ensure_ascii=False, indent=2))
                return
            if file is None or year is None:
                typer.echo("须给出 --year 和 --file (--year and --file are required)", err=True)
                raise typer.Exit(2)
            try:
                arrangement = Arrangement.from_file(file)
                if arrangement.year != year:
                    typer.echo(f"文件中的年份是 {arrangement.year} (the file is for {arrangement.year})", err=True)
                    raise typer.Exit(2)
                recorded = ledgers.execute(RecordCalendarArrangement.model_validate(arrangement.as_dict()))
            except DomainError as error:
                typer.echo(f"{error.code}: {error.message}", err=True)
                raise typer.Exit(1) from None
            except ValidationError as error:
                typer.echo(f"安排内容有误 (invalid arrangement): {error.errors(include_url=False)[:3]}", err=True)
                raise typer.Exit(1) from None
            except OSError as error:
                typer.echo(f"无法读取文件 (cannot read the file): {error}", err=True)
                raise typer.Exit(2) from None
            typer.echo(json.dumps(recorded.model_dump(mode="json"), ensure_ascii=False))
    finally:
        ledgers.close()


@app.command()
def rebuild(
    name: Annotated[ProjectionName, typer.Argument(help="投影名 (the projection)", show_default=False)],
    data_dir: DataDir = None,
) -> None:
    """重建一个投影并打印校验和 (rebuild one projection and print its checksum).

    从各服务的存储读取，不经 Kafka (reads the services' stores, not Kafka).
    """
    from paizhu.distributed import rebuild_projection

    settings = _settings(data_dir=data_dir)
    _logging(settings)
    count, checksum = rebuild_projection(settings, name.value)
    typer.echo(json.dumps({"projection": name.value, "events": count, "checksum": checksum}))


Reason = Annotated[str, typer.Option("--reason", help="事由，必填，将被记录 (why: required, and recorded)")]
By = Annotated[str | None, typer.Option(
    "--by", help="操作人，默认为当前系统用户 (who: default the operating-system user)")]


def _operator(by: str | None) -> dict[str, str]:
    import getpass

    return {"user": by or f"cli:{getpass.getuser()}", "org": "paizhu", "role": "operator"}


@app.command("replay-projection")
def replay_projection(
    name: Annotated[ProjectionName, typer.Argument(help="投影名 (the projection)", show_default=False)],
    at: Annotated[str, typer.Option(
        "--at", help="时点：ISO 日期/时间，或各服务的日志位置 ledgers=120,clues=7（只读一个服务时可只写数字） (a "
                     "moment: an ISO date/time, or each service's log position; a bare number when the projection "
                     "reads one service)", show_default=False)],
    reason: Reason,
    by: By = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON (print JSON)")] = False,
    data_dir: DataDir = None,
) -> None:
    """将投影回放到过去某一时点并打印校验和与主要数字 (a read model as it was at a past moment: its checksum
    and main figures).

    在临时数据库中从各服务的存储重建，不影响在用的读模型；每次使用均连同事由记录 (rebuilt into a temporary
    database from the stores; the live read model is untouched; every use is recorded with its reason).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from paizhu.projection_replay import CutError
    from paizhu.projection_replay import replay_projection as replay_read_model
    from services.common.errors import InvalidInputError

    settings = _settings(data_dir=data_dir)
    console = Console(stderr=True)
    columns = (TextColumn("[bold]回放 (replaying)[/] " + name.value), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    try:
        with Progress(*columns, console=console, transient=True, disable=as_json) as bar:
            task = bar.add_task(name.value, total=None)
            result = replay_read_model(settings, name.value, at,
                                       lambda done, total: bar.update(task, completed=done, total=total),
                                       actor=_operator(by), reason=reason)
    except (CutError, InvalidInputError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    except SystemExit as error:  # StoreNotFoundError, KeyNotFoundError: never created
        typer.echo(str(error.code), err=True)
        raise typer.Exit(3) from None
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{name.value} @ {json.dumps(result['cut'], ensure_ascii=False)}: {result['events']} 个位置 "
               f"(positions read) {json.dumps(result['positions'])}")
    typer.echo(f"校验和 (checksum): {result['checksum']}")
    typer.echo("主要数字 (main figures): " + json.dumps(result["figures"], ensure_ascii=False, indent=2))


@app.command()
def checkpoint(data_dir: DataDir = None) -> None:
    """立即签署检查点 (sign a checkpoint of every service's log now)."""
    from paizhu.distributed import open_stores
    from services.common.integrity import Checkpointer

    settings = _settings(data_dir=data_dir)
    _logging(settings)
    apps, keys = open_stores(settings)
    signer = Checkpointer(keys.checkpoint_private_key())
    for name, service_app in apps.items():
        position = signer.checkpoint(service_app)
        typer.echo(f"{name}: {'checkpoint at position ' + str(position) if position else 'nothing new'}")


@app.command()
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 报告 (print a JSON report)")] = False,
    data_dir: DataDir = None,
) -> None:
    """校验存储的完整性 (verify the stores' integrity).

    检查每条哈希链和签名检查点，完好时退出码为 0 (checks every hash chain and signed checkpoint; exit code 0 only
    when intact).
    """
    from paizhu.verify import run_verify

    code = run_verify(_settings(data_dir=data_dir), as_json=as_json)
    raise typer.Exit(code)


evidence_app = typer.Typer(help="证据包 (evidence bundles)", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")

@contextmanager
def _reviewer(data_dir: Path | None, as_json: bool) -> Iterator[object]:
    """A Reviewer on the stores; a missing store or key, or an unknown record, is one line (exit code 3 / 4)."""
    from paizhu.forensics.history import CaseNotFoundError
    from paizhu.forensics.reviewer import Reviewer
    from services.common.errors import InvalidInputError

    def fail(code: str, message: str, exit_code: int) -> typer.Exit:
        if as_json:
            typer.echo(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
        else:
            typer.echo(message, err=True)
        return typer.Exit(exit_code)

    try:
        reviewer = Reviewer(_settings(data_dir=data_dir))
    except SystemExit as error:  # StoreNotFoundError, KeyNotFoundError
        raise fail("store_or_key_not_found", str(error.code), 3) from None
    try:
        yield reviewer
    except CaseNotFoundError as error:
        raise fail("not_found", f"找不到该记录 (no such record): {error}", 4) from None
    except InvalidInputError as error:
        raise fail(error.code, str(error), 2) from None
    finally:
        reviewer.close()


@evidence_app.command("export")
def evidence_export(
    record_id: Annotated[str, typer.Argument(help="记录编号 (the record's id: directive, item, clue, round …)")],
    out: Annotated[Path, typer.Option("--out", help="证据包文件 (the bundle file to write, .zip)")],
    reason: Reason,
    by: By = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 摘要 (print a JSON summary)")] = False,
    data_dir: DataDir = None,
) -> None:
    """导出证据包 (export a case's evidence bundle).

    事件、哈希、覆盖它们的签名检查点、公钥和简要报告；用 tools/verify_bundle.py 独立校验 (events, hashes,
    the signed checkpoints that cover them, the public key and a short report; verify it with
    tools/verify_bundle.py).
    """
    from paizhu.forensics.evidence import export_bundle
    from paizhu.forensics.history import collect_case

    with _reviewer(data_dir, as_json) as reviewer:
        case = collect_case(reviewer.logs, record_id)  # type: ignore[attr-defined]
        actor = _operator(by)
        reviewer.record_use(case, "evidence_export", actor, reason, detail={"out": str(out)})  # type: ignore[attr-defined]
        data, summary = export_bundle(case, reviewer.logs, reviewer.keys.checkpoint_private_key(),  # type: ignore[attr-defined]
                                      actor["user"], reason)
        out.write_bytes(data)
    summary |= {"record_id": case.record_id, "kind": case.kind, "out": str(out), "bytes": len(data)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"已导出 (exported) {out}: {case.kind} {case.record_id}, {summary['case_events']} events of the "
                   f"case, {summary['events']} with their chains; "
                   f"{'完整 (intact)' if summary['intact'] else '不完整 (NOT intact)'}")


@app.command()
def replay(
    kind: Annotated[str, typer.Argument(help="记录类型 (directive | item | clue | round)", show_default=False)],
    record_id: Annotated[str, typer.Argument(help="记录编号 (the record's id)", show_default=False)],
    reason: Reason,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="时点：ISO 日期/时间，或 v<版本>、p<日志位置> (a moment: ISO date/time, v<version>, "
                        "p<log position>; default now)")] = None,
    compare: Annotated[str | None, typer.Option(
        "--compare", help="与另一时点逐项比较 (compare with another moment, field by field)")] = None,
    happened: Annotated[bool, typer.Option(
        "--happened", help="按发生时间而非记录时间 (by when it happened as stated, not when it was recorded)")] = False,
    by: By = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON (print JSON)")] = False,
    data_dir: DataDir = None,
) -> None:
    """回放一条记录的案卷历史及其某一时点的状态 (replay a record: its case history and its state at a moment)."""
    from paizhu.forensics.asof import Axis, Moment
    from paizhu.forensics.reviewer import RecordKind

    try:
        record_kind = RecordKind(kind)
    except ValueError:
        raise typer.BadParameter(f"须为 (one of) {', '.join(k.value for k in RecordKind)}",
                                 param_hint="KIND") from None
    axis = Axis.happened if happened else Axis.recorded

    def moment(text: str | None) -> Moment:
        if text is None:
            return Moment(axis=axis)
        if text[:1] in "vp" and text[1:].isdigit():
            number = int(text[1:])
            return Moment(version=number) if text[0] == "v" else Moment(position=number)
        return Moment(at=text, axis=axis)

    with _reviewer(data_dir, as_json) as reviewer:
        case = reviewer.case(record_kind, record_id)  # type: ignore[attr-defined]
        reviewer.record_use(case, "replay", _operator(by), reason, detail={"as_of": as_of, "compare": compare})  # type: ignore[attr-defined]
        result = reviewer.replay(case, moment(as_of), moment(compare) if compare else None)  # type: ignore[attr-defined]
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{result['kind']} {result['record_id']} ({result['service']}) — as of {as_of or 'now'} "
               f"[{axis.value}]")
    for event in result["history"]:
        mark = "*" if event["counted"] else " "
        typer.echo(f" {mark} {event['recorded_at']}  {event['service']}#{event['position']}  "
                   f"{event['description']['zh']} ({event['description']['en']})")
    typer.echo(json.dumps(result["state"], ensure_ascii=False, indent=2))
    for change in result.get("diff", []):
        typer.echo(f"  {change['field']}: {change['before']!r} → {change['after']!r}")


@app.command()
def openapi() -> None:
    """输出网关的 OpenAPI 文档 (print the gateway's OpenAPI document).

    用内存中的空平台生成，不读写数据 (made from an empty in-memory platform; reads and keeps no data).
    """
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
    """导出事件契约的 JSON Schema (export the integration-event contracts' JSON Schemas).

    写入源码目录 events/schemas/，不涉及数据目录 (into the source folder events/schemas/, not the data folder).
    """
    from events.catalog import load_all
    from events.registry import contract_drift, export_schemas

    load_all()
    for path in export_schemas():
        typer.echo(f"wrote {path}")
    for problem in contract_drift():
        typer.echo(f"DRIFT: {problem}", err=True)


if __name__ == "__main__":
    app()
