"""The verifier's fast path (raw rows, stdlib JSON) agrees with the domain events, and `paizhu verify` starts light."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from events.plain import plain
from paizhu.platform import Platform
from paizhu.settings import Settings
from paizhu.stored_logs import open_logs
from services.common.aggregate import event_fields
from services.common.verification import fields_hash, log_step, stream_key
from tests.factories import acting_as


def test_the_fast_fields_of_every_stored_event_are_the_fields_its_hash_covers(tmp_path: Path) -> None:
    platform = Platform(Settings(mode="embedded", data_dir=tmp_path))
    with platform.apps["ledgers"].acting(acting_as()):
        directive_id = platform.apps["ledgers"].register_directive(
            group_id="group-mee", unit_id="unit-mee", reference_number="环发〔2025〕1号", issuer="生态环境部",
            title="批示件 \"引号\"\n换行", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
            lead_department="办公厅")["directive_id"]
        platform.apps["ledgers"].record_stage(directive_id=directive_id, stage="relay_study",
                                              done_on=date(2025, 1, 6), summary="已完成", done_by="部党组")
    platform.checkpoint()
    apps = dict(platform.apps)
    logs, _ = open_logs(Settings(mode="embedded", data_dir=tmp_path))
    try:
        compared = 0
        for name, log in logs.items():
            for row in log.rows():
                fast = log.decoder.fields(row, stream_key(row.originator_id))
                slow = plain(event_fields(apps[name].mapper.to_domain_event(row)))
                assert fast == slow
                assert fields_hash(fast) == fast["hash"]
                compared += 1
        assert compared > 4
    finally:
        for log in logs.values():
            log.close()
        platform.stop()


def test_the_log_step_is_the_canonical_encoding_of_position_stream_version_and_hash() -> None:
    import hashlib

    from events.envelope import canonical_json

    step = log_step("0" * 64, 7, "流\"x", 3, "ab")
    assert step == hashlib.sha256(("0" * 64).encode() + canonical_json([7, "流\"x", 3, "ab"])).hexdigest()


def test_verify_imports_no_service_domain_model_nor_the_web_stack() -> None:
    code = ("import sys, paizhu.cli, paizhu.verify; "
            "print(sorted(m for m in sys.modules if m.startswith(('services.ledgers', 'fastapi', 'gateway'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
