"""`paizhu verify`: check every store's hash chains and signed checkpoints, report exactly what is wrong.

Exit codes: 0 intact, 1 tampered, 3 could not verify (no data directory, store or key: said in one line, or as
`{"intact": null, "error": ...}` with `--json`; nothing is created).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

from paizhu.keys import KeyNotFoundError
from paizhu.settings import Settings
from paizhu.stored_logs import StoredLog, StoreNotFoundError, open_logs
from services.common.log_partitions import OtherStreamIdForm
from services.common.verification import StoreReport, verify_partitions, verify_plain_rows, verify_rows

CANNOT_VERIFY = 3
PARALLEL_FROM = 20_000
"""A store of at least this many events is verified by one process per idle core (each a part of its streams)."""


def cores() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def idle_cores() -> int:
    """The cores that are idle now (at least one): more processes than that only share the busy ones, and a
    store split into parts costs about a quarter more CPU than one process reading it all (measured on the
    benchmark's store)."""
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(cores(), round(cores() - busy)))


def verify_log(log: StoredLog, public_key: str, processes: int | None = None, parallel_from: int | None = None,
               progress: Callable[[int], None] | None = None) -> StoreReport:
    """One store's report: in parallel processes when it is large and can be split (`log_partitions`)."""
    processes = processes or idle_cores()
    large = log.max_position() >= (PARALLEL_FROM if parallel_from is None else parallel_from)
    partitions = log.partitions(processes if large else 1)
    if partitions is None:
        return verify_rows(log.service, log.rows(), public_key, log.decoder, progress)
    if len(partitions) == 1:
        return verify_plain_rows(log.service, partitions[0][1](), public_key, log.decoder, progress)
    try:
        reported = verify_partitions(log.service, log.checkpoint_rows(), partitions, public_key, log.decoder)
    except OtherStreamIdForm:  # cannot be split by stream id: one process reads it all
        return verify_log(log, public_key, processes=1, progress=progress)
    if progress is not None:
        progress(reported.events)
    return reported


def verify_logs(logs: dict[str, StoredLog], public_key: str, as_json: bool = False) -> list[StoreReport]:
    interactive = sys.stderr.isatty() and not as_json
    if not interactive:
        return [verify_log(log, public_key) for log in logs.values()]
    from rich.progress import Progress

    reports = []
    with Progress(transient=True) as progress:
        for name, log in logs.items():
            task = progress.add_task(f"verifying {name}", total=log.max_position() or None)
            reports.append(verify_log(log, public_key,
                                      progress=lambda n, t=task: progress.advance(t, n)))  # type: ignore[misc]
    return reports


def _cannot_verify(error: SystemExit, code: str, as_json: bool) -> int:
    problems: list[str] = getattr(error, "problems", [])
    if as_json:
        body: dict[str, Any] = {"intact": None, "error": {"code": code, "message": str(error.code),
                                                          "problems": problems}}
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    else:
        print(f"无法校验 (cannot verify): {error.code}", file=sys.stderr)
    return CANNOT_VERIFY


def run_verify(settings: Settings, as_json: bool = False) -> int:
    try:
        logs, keys = open_logs(settings)
    except StoreNotFoundError as error:
        return _cannot_verify(error, "store_not_found", as_json)
    except KeyNotFoundError as error:
        return _cannot_verify(error, "key_not_found", as_json)
    try:
        reports = verify_logs(logs, keys.checkpoint_public_key_b64(), as_json)
    finally:
        for log in logs.values():
            log.close()
    intact = all(r.intact for r in reports)
    if as_json:
        sys.stdout.write(json.dumps({"intact": intact, "stores": [r.as_dict() for r in reports]},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        for report in reports:
            status = "intact 完整" if report.intact else "TAMPERED 被篡改"
            print(f"{report.service}: {status} — {report.events} events, {report.streams} streams, "
                  f"{report.checkpoints} checkpoints (to position {report.checkpoint_position}), "
                  f"{report.unsigned_events} events after the last checkpoint")
            for f in report.findings:
                where = f"stream {f.stream_id}" + (f" version {f.version}" if f.version else "")
                print(f"  {f.kind.upper()}: {where}" + (f" (position {f.position})" if f.position else "")
                      + f": {f.detail}")
    return 0 if intact else 1
