"""The units service on a real SQLite store and a filesystem blob directory: everything survives a restart."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from pathlib import Path

from services.common.clock import ManualClock
from services.units.application import UnitsApplication
from tests.factories import acting_as
from tests.unit.units.conftest import items_of, submissions_of

PDF = b"%PDF-1.4\n%%EOF\n"


def make_app(tmp_path: Path) -> UnitsApplication:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "units.db"),
           "UNITS_BLOB_DIR": str(tmp_path / "blobs")}
    return UnitsApplication(env=env, clock=ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC)))


def test_roster_items_and_attachments_survive_a_restart(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        app.register_unit(group_id="group-mee", unit_id="unit-mee", name="生态环境部", party_group_name="部党组")
        app.add_department(unit_id="unit-mee", department_id="hjjcs", name="中国环境监测总站", kind="subordinate")
        item = app.issue_request(unit_id="unit-mee", kind="document_request", title="调阅", body="资料",
                                 counterpart_id="hjjcs", deadline=date(2025, 3, 20))
    with app.acting(acting_as("zhao.unit", "unit-mee", "unit_liaison")):
        meta = app.upload_attachment(filename="a.pdf", content_base64=base64.b64encode(PDF).decode())
        app.acknowledge_item(item_id=item["item_id"])
        app.reply_to_outbound(item_id=item["item_id"], title="报送", summary="已报送",
                              attachments=[{"sha256": meta["sha256"], "filename": "a.pdf"}])
    reopened = make_app(tmp_path)
    [stored] = items_of(reopened, "unit-mee")
    assert stored["status"] == "answered" and stored["deadline"] == "2025-03-20"
    [submission] = submissions_of(reopened, "unit-mee")
    assert submission["attachments"][0]["sha256"] == meta["sha256"]
    assert base64.b64decode(reopened.get_attachment(meta["sha256"])["content_base64"]) == PDF
    envelopes, _ = reopened.integration_events(0, 100)
    assert "units.OutboundAnswered" in {e.type for e in envelopes}
