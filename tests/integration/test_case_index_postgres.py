"""The correlation index on PostgreSQL: caught up by position, each row once; it answers a case what reading
every row answers, rows stored after it included; a stream's rows are read with their log positions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from events.catalog import load_all
from paizhu.keys import load_keys
from paizhu.services import build_app
from services.common.case_history import private_streams, service_case_index
from services.common.case_index import CaseIndex, closure, recorder_rows, stream_rows
from services.common.verification import RowDecoder, stream_key
from tests.conftest import distributed_env, settings_from
from tests.factories import acting_as

pytestmark = pytest.mark.integration


def register(app: Any, n: int) -> str:
    return str(app.register_directive(
        group_id="group-mee", unit_id="unit-mee", reference_number=f"环发〔2025〕{n}号", issuer="生态环境部",
        title=f"批示件{n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
        lead_department="办公厅")["directive_id"])


def test_the_index_on_postgres_answers_what_reading_every_row_answers(pg_database: str, tmp_path: Path) -> None:
    load_all()
    settings = settings_from(distributed_env(pg_database, "127.0.0.1:9", tmp_path))  # no broker needed here
    app: Any = build_app(settings, load_keys(settings), "ledgers")
    try:
        with app.acting(acting_as()):
            directives = [register(app, n) for n in range(1, 5)]
            app.record_stage(directive_id=directives[0], stage="relay_study", done_on=date(2025, 1, 5),
                             summary="传达学习", done_by="部党组")
        index = service_case_index(app)
        stored = [row for row in recorder_rows(app.recorder)
                  if stream_key(row.originator_id) not in private_streams("ledgers")]
        assert index.catch_up() == len(stored) > 0
        assert index.catch_up() == 0 and index.indexed_upto() == stored[-1].id
        with app.acting(acting_as()):  # stored after the index: found in the rows read after it
            app.amend_directive(directive_id=directives[0], changes={"title": "批示件一"}, reason="更正")
            directives.append(register(app, 5))
        decoder = RowDecoder(app.mapper.cipher, app.mapper.compressor)
        for directive in directives:
            indexed = closure(service_case_index(app).lookup, directive)
            scanned = closure(CaseIndex("ledgers", app.recorder, decoder, private_streams("ledgers"),
                                        use_table=False).lookup, directive)
            assert indexed == scanned
            assert {entry.stream for entry in indexed[1]} >= {directive}
        first = stream_rows(app.recorder, directives[0])
        positions = {(stream_key(r.originator_id), r.originator_version): r.id for r in recorder_rows(app.recorder)}
        assert [r.originator_version for r in first] == list(range(1, len(first) + 1)) and len(first) == 3
        assert all(positions[(directives[0], r.originator_version)] == r.id for r in first)
    finally:
        app.close()
