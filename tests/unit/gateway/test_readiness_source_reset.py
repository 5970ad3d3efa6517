"""A read model whose source lost events is not fresh: `/readyz` answers 503 and its answers are marked stale
until the source delivered again everything that had been applied from it."""

from __future__ import annotations

from runtime.projection_runner import Item
from tests.api_helpers import embedded_api
from tests.unit.gateway.test_vertical_slice_embedded import DIRECTIVE

SOURCE = "paizhu.ledgers.v1"  # as a distributed projector would name it (the embedded feed never reads it)


def test_readyz_and_freshness_while_a_read_model_waits_for_a_source_to_deliver_again() -> None:
    with embedded_api() as api:
        assert api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE).status_code == 201
        api.sync()
        assert api.client.get("/readyz").status_code == 200
        runner = api.client.app.state.runtime.read_models.runners["hq_dashboard"]  # type: ignore[attr-defined]
        applied = runner.positions()["ledgers"]

        runner.source_reset(SOURCE, "ledgers", "went backwards (test)")
        ready = api.client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "not_ready"
        assert set(runner.alarms()) == {SOURCE}
        stale = api.get("chen.hq", "/api/hq/dashboard")
        assert stale.json()["freshness"]["stale"] is True  # its positions are reached, yet events may be missing
        assert stale.headers["x-paizhu-stale"] == "true"

        # the source delivers everything again, then a newer event: what was applied is skipped, the alarm ends
        ledgers = api.platform.apps["ledgers"]
        envelopes, _ = ledgers.integration_events(0, 1000)
        runner.process([Item(SOURCE, 0, n, e) for n, e in enumerate(envelopes)])
        second = {**DIRECTIVE, "reference_number": "中办发〔2025〕4号"}
        assert api.post("zhang.wei", "/api/ledgers/directives", json=second).status_code == 201
        newer, _ = ledgers.integration_events(applied, 1000)
        runner.process([Item(SOURCE, 0, len(envelopes) + n, e) for n, e in enumerate(newer)])
        assert runner.alarms() == {}
        assert runner.positions()["ledgers"] >= applied
        assert api.client.get("/readyz").status_code == 200
        dashboard = api.get("chen.hq", "/api/hq/dashboard").json()
        assert dashboard["freshness"]["stale"] is False
        assert dashboard["groups"]["group-mee"]["directives"] == 2  # each counted once, not twice
