"""Every transition of a clue, including the refused ones."""

from __future__ import annotations

from datetime import date

import pytest

from services.clues.application import CluesApplication
from services.clues.domainmodel import AssessmentMissingError, ClueStateError, check_intake
from services.common.aggregate import compute_hash
from services.common.errors import ConflictError, InvalidInputError, NotFoundError
from tests.unit.clues.conftest import as_leader, as_staff, assess_and_propose, decide, register, state


def test_registration_puts_leader_assigned_staff_and_registrar_in_the_compartment(app: CluesApplication) -> None:
    clue_id = register(app)
    clue = state(app, clue_id)
    assert clue.status == "registered"
    assert set(clue.members) == {"li.na", "zhou.min", "zhang.wei"}
    assert clue.leader == "li.na"
    assert clue.deadlines["disposition"]["due_on"] == date(2025, 4, 2)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"subject_name": "  "}, "subject_name_required"),
        ({"categories": []}, "invalid_categories"),
        ({"categories": ["gossip"]}, "invalid_input"),  # closed vocabularies: refused by the interface
        ({"source": "rumour"}, "invalid_input"),
        ({"summary": ""}, "summary_required"),
        ({"source": "inspection_referral"}, "referral_channel"),
        ({"leader": ""}, "leader_required"),
    ],
)
def test_invalid_registration_is_refused(app: CluesApplication, overrides: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        register(app, **overrides)
    assert error.value.code == code
    if code == "invalid_input":
        assert next(iter(overrides)) in error.value.message


@pytest.mark.parametrize(
    ("source", "categories", "code"),
    [("petition", ["gossip"], "invalid_categories"), ("rumour", ["work"], "unknown_source")],
)
def test_intake_from_any_channel_checks_its_vocabularies(source: str, categories: list[str], code: str) -> None:
    """Referrals arrive sealed, past the interface: the domain checks the same vocabularies itself."""
    with pytest.raises(InvalidInputError) as error:
        check_intake(source, {"name": "某人"}, categories, "摘要")
    assert error.value.code == code


def test_proposal_without_assessment_is_refused(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app), pytest.raises(AssessmentMissingError):
        app.propose_disposition(clue_id, "inquiry", "理由")


def test_assessment_needs_the_political_analysis(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app), pytest.raises(InvalidInputError):
        app.note_assessment(clue_id, " ", "只有一般分析")


def test_collective_screening_records_each_participant_conclusion(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app):
        with pytest.raises(InvalidInputError):
            app.record_screening(clue_id, date(2025, 3, 5), [], "结论")
        app.record_screening(
            clue_id, date(2025, 3, 5),
            [{"user": "li.na", "conclusion": "建议函询"}, {"user": "zhou.min", "conclusion": "同意函询"}],
            "集体排查意见：谈话函询",
        )
    assert state(app, clue_id).screenings[0]["participants"][1] == {"user": "zhou.min", "conclusion": "同意函询"}


def test_unknown_disposition_is_refused(app: CluesApplication) -> None:
    clue_id = register(app)
    with pytest.raises(InvalidInputError):
        assess_and_propose(app, clue_id, "ignore")


def test_leader_sends_a_proposal_back_with_a_reason(app: CluesApplication) -> None:
    clue_id = register(app)
    assess_and_propose(app, clue_id, "close")
    with as_leader(app):
        with pytest.raises(InvalidInputError):
            app.decide_disposition(clue_id, approved=False, reason="")
        app.decide_disposition(clue_id, approved=False, reason="反映具体，不宜了结")
    clue = state(app, clue_id)
    assert clue.status == "registered" and clue.disposition is None
    assert not clue.deadlines["disposition"]["done"]


def test_leader_may_choose_another_disposition_only_with_a_reason(app: CluesApplication) -> None:
    clue_id = register(app)
    assess_and_propose(app, clue_id, "inquiry")
    with as_leader(app):
        with pytest.raises(InvalidInputError):
            app.decide_disposition(clue_id, approved=True, disposition="preliminary_verification")
        app.decide_disposition(clue_id, approved=True, disposition="preliminary_verification", reason="涉嫌违纪，直接初核")
    clue = state(app, clue_id)
    assert clue.status == "verifying"
    assert clue.deadlines["verification"]["due_on"] == date(2025, 6, 1)
    assert clue.deadlines["disposition"]["done"]


def test_decision_without_proposal_is_refused(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_leader(app), pytest.raises(ClueStateError):
        app.decide_disposition(clue_id, approved=True)


def test_talk_inquiry_then_closure_in_the_first_form(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "inquiry")
    with as_staff(app):
        app.record_inquiry(clue_id, "talk", date(2025, 3, 10), "谈话中本人作出说明")
        assert state(app, clue_id).status == "responded"
        with pytest.raises(ConflictError):
            app.record_inquiry(clue_id, "letter", date(2025, 3, 11), "再次函询")
        app.conclude_clue(clue_id, "closed", "问题轻微，批评教育", four_forms=1)
    clue = state(app, clue_id)
    assert clue.status == "closed" and clue.outcome["four_forms"] == 1


def test_letter_inquiry_reply_and_late_flag(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "inquiry")
    with as_staff(app):
        with pytest.raises(ClueStateError):
            app.record_inquiry_reply(clue_id, date(2025, 3, 12), "回复")
        app.record_inquiry(clue_id, "letter", date(2025, 3, 10), "发函请其说明")
        assert state(app, clue_id).deadlines["inquiry_reply"]["due_on"] == date(2025, 3, 31)
        app.record_inquiry_reply(clue_id, date(2025, 4, 1), "本人书面说明")
    clue = state(app, clue_id)
    assert clue.status == "responded"
    assert clue.inquiry["reply"]["late"] is True
    assert clue.deadlines["inquiry_reply"]["done"]


def test_verification_substantiated_leads_to_case_filing_in_the_fourth_form(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "preliminary_verification")
    with as_staff(app):
        with pytest.raises(ClueStateError):
            app.conclude_clue(clue_id, "case_filed", "立案", four_forms=4)
        app.record_verification(clue_id, date(2025, 5, 20), "初核认定问题属实", substantiated=True)
        with pytest.raises(InvalidInputError):
            app.conclude_clue(clue_id, "closed", "了结", four_forms=4)
        with pytest.raises(InvalidInputError):
            app.conclude_clue(clue_id, "case_filed", "立案", four_forms=5)
        app.conclude_clue(clue_id, "case_filed", "经集体研究，予以立案审查调查", four_forms=4)
    clue = state(app, clue_id)
    assert clue.status == "case_filed"
    assert all(d["done"] for d in clue.deadlines.values())


def test_case_filing_needs_a_substantiated_verification(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "preliminary_verification")
    with as_staff(app):
        app.record_verification(clue_id, date(2025, 5, 20), "初核未发现问题", substantiated=False)
        with pytest.raises(ClueStateError):
            app.conclude_clue(clue_id, "case_filed", "立案", four_forms=3)
        app.conclude_clue(clue_id, "closed", "反映不实，予以澄清")
    assert state(app, clue_id).outcome == {"result": "closed", "four_forms": None, "reason": "反映不实，予以澄清"}


def test_close_disposition_closes_the_clue_and_it_can_be_reopened(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "close")
    assert state(app, clue_id).status == "closed"
    with as_leader(app):
        with pytest.raises(InvalidInputError):
            app.reopen_clue(clue_id, "")
        app.reopen_clue(clue_id, "出现新的举报材料")
    clue = state(app, clue_id)
    assert clue.status == "registered" and clue.disposition is None
    assert clue.reopenings[0]["reason"] == "出现新的举报材料"
    assert not clue.deadlines["disposition"]["done"]


def test_held_clue_is_closed_or_reopened_but_never_filed(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "hold")
    clue = state(app, clue_id)
    assert clue.status == "held" and "hold_review" in clue.deadlines
    with as_staff(app):
        with pytest.raises(ClueStateError):
            app.conclude_clue(clue_id, "case_filed", "立案")
        app.reopen_clue(clue_id, "条件成熟，重新研判")
    assert state(app, clue_id).status == "registered"


def test_reopening_an_open_inquiry_is_refused(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "inquiry")
    with as_staff(app), pytest.raises(ClueStateError):
        app.reopen_clue(clue_id, "理由")


def test_compartment_members_are_added_with_reasons_and_the_leader_stays(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_leader(app):
        with pytest.raises(InvalidInputError):
            app.add_member(clue_id, "wang.qiang", "")
        app.add_member(clue_id, "wang.qiang", "分管副组长，参与研判")
        with pytest.raises(ConflictError):
            app.add_member(clue_id, "wang.qiang", "重复")
        with pytest.raises(ConflictError):
            app.remove_member(clue_id, "li.na", "移出组长")
        with pytest.raises(NotFoundError):
            app.remove_member(clue_id, "nobody", "不在范围")
        app.remove_member(clue_id, "zhou.min", "工作调整")
    assert set(state(app, clue_id).members) == {"li.na", "zhang.wei", "wang.qiang"}
    assert state(app, clue_id).members["wang.qiang"]["reason"] == "分管副组长，参与研判"


def test_documents_are_referenced_by_sha256(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_staff(app):
        with pytest.raises(InvalidInputError):
            app.add_document(clue_id, "举报信", "档案-2025-017", "not-a-hash")
        app.add_document(clue_id, "举报信", "档案-2025-017", "AB" * 32)
    assert state(app, clue_id).documents == [{"title": "举报信", "reference": "档案-2025-017", "sha256": "ab" * 32}]


def test_unknown_clue_is_not_found(app: CluesApplication) -> None:
    with as_staff(app), pytest.raises(NotFoundError):
        app.note_assessment("00000000-0000-0000-0000-000000000000", "政治分析", "")


def test_every_clue_event_is_in_its_compartment_and_the_hash_chain_holds(app: CluesApplication) -> None:
    clue_id = register(app)
    decide(app, clue_id, "inquiry")
    events = list(app.events.get(state(app, clue_id).id))
    assert {e.distribution for e in events} == {f"compartment:{clue_id}"}
    previous = "0" * 64
    for event in events:
        assert event.prev_hash == previous
        assert compute_hash(event) == event.hash
        previous = event.hash
