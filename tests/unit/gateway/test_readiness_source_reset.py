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

        envelopes, _ = api.platform.apps["ledgers"].integration_events(0, 1000)
        older = [e for e in envelopes if e.position < applied]
        runner.process([Item(SOURCE, 0, n, e) for n, e in enumerate(older)])
        assert set(runner.alarms()) == {SOURCE}  # not yet: the newest event applied was not delivered again
        newest = next(e for e in envelopes if e.position == applied)
        runner.process([Item(SOURCE, 0, len(older), newest)])  # a duplicate: skipped, yet it was delivered
        assert runner.alarms() == {}
        assert runner.positions()["ledgers"] == applied
        assert api.client.get("/readyz").status_code == 200
        dashboard = api.get("chen.hq", "/api/hq/dashboard").json()
        assert dashboard["freshness"]["stale"] is False
        assert dashboard["groups"]["group-mee"]["directives"] == 1  # counted once, not twice
