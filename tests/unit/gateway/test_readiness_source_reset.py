"""A read model whose source lost events is not fresh: `/readyz` answers 503 until the source delivered again
everything that had been applied from it."""

from __future__ import annotations

from tests.api_helpers import embedded_api
from tests.unit.gateway.test_vertical_slice_embedded import DIRECTIVE


def test_readyz_is_not_ready_while_a_read_model_waits_for_a_source_to_deliver_again() -> None:
    with embedded_api() as api:
        assert api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE).status_code == 201
        api.sync()
        assert api.client.get("/readyz").status_code == 200
        runner = api.client.app.state.runtime.read_models.runners["hq_dashboard"]  # type: ignore[attr-defined]
        applied = runner.positions()["ledgers"]

        runner.source_reset("log:ledgers", "ledgers", "went backwards (test)")
        ready = api.client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "not_ready"
        assert set(runner.alarms()) == {"log:ledgers"}

        api.sync()  # the feed reads the source again from its beginning; what was applied is skipped
        assert runner.alarms() == {}
        assert runner.positions()["ledgers"] == applied
        assert api.client.get("/readyz").status_code == 200
        dashboard = api.get("chen.hq", "/api/hq/dashboard").json()
        assert dashboard["groups"]["group-mee"]["directives"] == 1  # counted once, not twice
