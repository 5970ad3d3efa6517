"""`paizhu verify`: check every store's hash chains and signed checkpoints, report exactly what is wrong."""

from __future__ import annotations

import json
import sys

from paizhu.distributed import open_stores
from paizhu.settings import Settings
from services.common.integrity import StoreReport, verify_store


def run_verify(settings: Settings, as_json: bool = False) -> int:
    apps, keys = open_stores(settings)
    public_key = keys.checkpoint_public_key_b64()
    reports: list[StoreReport] = []
    interactive = sys.stderr.isatty() and not as_json
    if interactive:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            for name, app in apps.items():
                task = progress.add_task(f"verifying {name}", total=app.max_position() or None)
                reports.append(verify_store(app, public_key, lambda n, t=task: progress.advance(t, n)))
    else:
        reports = [verify_store(app, public_key) for app in apps.values()]
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
    for app in apps.values():
        app.close()
    return 0 if intact else 1
