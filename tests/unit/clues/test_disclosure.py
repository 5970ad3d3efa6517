"""Every read of a clue's content is recorded beside the clue: who, when, which parts, why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.clues.application import CluesApplication
from services.clues.compartment import disclosure_id
from services.common.clock import ManualClock
from services.common.errors import InvalidInputError, NotFoundError
from tests.unit.clues.conftest import SUBJECT_NAME, as_leader, as_staff, register


def test_a_read_returns_content_and_records_who_when_what_and_why(app: CluesApplication, clock: ManualClock) -> None:
    clue_id = register(app)
    clock.advance(timedelta(hours=2))
    with as_staff(app, "zhou.min"):
        content = app.read_clue(clue_id, "zhou.min", "准备谈话提纲", parts=["subject"])
    assert content["subject"]["name"] == SUBJECT_NAME
    assert "allegations" not in content and "notes" not in content
    reads = app.list_disclosures(clue_id)
    assert len(reads) == 1
    assert reads[0]["reader"] == "zhou.min"
    assert reads[0]["parts"] == ["subject"]
    assert reads[0]["reason"] == "准备谈话提纲"
    assert reads[0]["read_at"] == clock.now()
    assert reads[0]["actor"]["user"] == "zhou.min"


def test_reads_are_replayable_in_order(app: CluesApplication, clock: ManualClock) -> None:
    clue_id = register(app)
    with as_leader(app):
        app.read_clue(clue_id, "li.na", "审核处置意见")
    clock.advance(timedelta(days=1))
    with as_staff(app):
        app.read_clue(clue_id, "zhang.wei", "起草初核方案", parts=["allegations", "documents"])
    reads = app.list_disclosures(clue_id)
    assert [(r["reader"], r["parts"]) for r in reads] == [
        ("li.na", ["subject", "allegations", "notes", "documents"]),
        ("zhang.wei", ["allegations", "documents"]),
    ]
    assert reads[0]["read_at"] < reads[1]["read_at"]


def test_read_without_reason_is_refused_and_nothing_is_disclosed(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app), pytest.raises(InvalidInputError):
        app.read_clue(clue_id, "zhang.wei", "  ")
    assert app.list_disclosures(clue_id) == []


def test_reader_outside_the_compartment_gets_not_found_and_no_read_is_recorded(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app, "wang.qiang"), pytest.raises(NotFoundError):
        app.read_clue(clue_id, "wang.qiang", "了解情况")
    assert app.list_disclosures(clue_id) == []


def test_unknown_parts_are_refused(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app), pytest.raises(InvalidInputError):
        app.read_clue(clue_id, "zhang.wei", "查看", parts=["everything"])


def test_reads_never_touch_the_clue_stream_so_they_do_not_conflict_with_writes(app: CluesApplication) -> None:
    clue_id = register(app)
    stale = app.load(clue_id)
    with as_staff(app):
        app.read_clue(clue_id, "zhang.wei", "研判前阅看")
        app.read_clue(clue_id, "zhang.wei", "再次阅看")
    assert app.load(clue_id).version == stale.version
    stale.note_assessment("政治上审视", "")
    with as_staff(app):
        app.record(stale)  # would raise a conflict had a read written to the clue stream
    disclosure = app.load(disclosure_id(clue_id))
    assert disclosure.clue_id == clue_id and len(disclosure.reads) == 2
    assert {e.distribution for e in app.events.get(disclosure.id)} == {f"compartment:{clue_id}"}
