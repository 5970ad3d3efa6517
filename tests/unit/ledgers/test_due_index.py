"""The deadline scheduler reads the due-date index: a sweep loads only the records with a deadline due."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.common.clock import ManualClock
from services.ledgers.application import LedgersApplication
from tests.factories import evidence_file

from .conftest import add_item, register


class LoadSpy:
    """Records the id of every aggregate the application loads from its store."""

    def __init__(self, app: LedgersApplication) -> None:
        self.loaded: list[str] = []
        original = app.repository.get

        def get(aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
            self.loaded.append(str(aggregate_id))
            return original(aggregate_id, *args, **kwargs)

        app.repository.get = get  # type: ignore[method-assign]


def test_a_sweep_loads_only_the_records_with_a_deadline_due(app: LedgersApplication, clock: ManualClock) -> None:
    later = [add_item(app, register(app, f"环办〔2025〕{n}号"), deadline=date(2025, 12, 31)) for n in range(1, 21)]
    due_directive = register(app, "环办〔2025〕99号")
    due_item = add_item(app, due_directive, deadline=date(2025, 3, 10))
    done_in_time = add_item(app, register(app, "环办〔2025〕98号"), deadline=date(2025, 3, 10))
    app.update_item_progress(done_in_time, "in_progress", "推进中")
    app.set_stage_deadline(due_directive, "relay_study", {"basis": "calendar", "count": 3, "from_date": "2025-03-03"},
                           reason="督办")
    app.close_item(done_in_time, summary="按期完成", evidence_refs=[evidence_file("doc:a")])  # settled: never due
    clock.set(datetime(2025, 3, 11, 2, tzinfo=UTC))
    spy = LoadSpy(app)
    run = app.run_scheduler()
    assert (run["items_overdue"], run["stages_overdue"]) == (1, 1)
    assert sorted(set(spy.loaded)) == sorted({due_item, due_directive})
    assert not set(spy.loaded) & set(later)
    assert app.get_item(due_item)["overdue_on"] == date(2025, 3, 11)

    spy.loaded.clear()
    again = app.run_scheduler()
    assert (again["items_overdue"], again["stages_overdue"]) == (0, 0) and spy.loaded == []


def test_a_moved_deadline_wakes_on_its_new_date(app: LedgersApplication, clock: ManualClock) -> None:
    item_id = add_item(app, register(app), deadline=date(2025, 3, 10))
    app.set_item_deadline(item_id, {"basis": "calendar", "count": 30, "from_date": "2025-03-05"}, reason="延期")
    clock.set(datetime(2025, 3, 11, 2, tzinfo=UTC))
    assert app.run_scheduler()["items_overdue"] == 0
    clock.set(datetime(2025, 4, 5, 2, tzinfo=UTC))
    assert app.run_scheduler()["items_overdue"] == 1


def test_the_index_is_rebuilt_from_the_log_with_only_what_is_still_pending(clock: ManualClock) -> None:
    from tests.factories import acting_as

    app = LedgersApplication(clock=clock)
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        settled = add_item(app, register(app, "环办〔2025〕1号"), deadline=date(2025, 3, 10))
        app.close_item(settled, summary="完成", evidence_refs=[evidence_file("doc:a")])  # its look-back is still to come
        late = add_item(app, register(app, "环办〔2025〕2号"), deadline=date(2025, 3, 10))
        add_item(app, register(app, "环办〔2025〕3号"), deadline=None)  # nothing to watch
    assert app.due_index.pending() == 2
    assert [str(i) for i in app.due_index.due(date(2025, 3, 10))] == []
    assert [str(i) for i in app.due_index.due(date(2025, 3, 11))] == [late]
    assert {str(i) for i in app.due_index.due(date(2025, 6, 30))} == {settled, late}  # the look-back too


def test_a_deadline_counted_again_with_a_newer_calendar_wakes_on_its_new_date(
    app: LedgersApplication, clock: ManualClock
) -> None:
    item_id = add_item(app, register(app), deadline=date(2025, 3, 10))
    item = app.repository.get(UUID(item_id))
    item.recompute_deadline({"basis": "calendar", "count": 30, "from_date": "2025-03-05"}, date(2025, 4, 4))
    app.save(item)
    assert [str(i) for i in app.due_index.due(date(2025, 3, 11))] == []
    assert [str(i) for i in app.due_index.due(date(2025, 4, 5))] == [item_id]
    clock.set(datetime(2025, 4, 5, 2, tzinfo=UTC))
    assert app.run_scheduler()["items_overdue"] == 1
