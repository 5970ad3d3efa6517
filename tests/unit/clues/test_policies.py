"""Referrals from inspections (sealed content) and rectification reports from units."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from cryptography.exceptions import InvalidTag

from events.inspections import ClueReferred
from events.sealed import generate_keypair, seal
from events.units import RectificationReported
from services.clues.application import CluesApplication
from services.clues.interface import DirectoryEntry
from services.clues.policies import SealingKeyMissingError
from services.common.clock import ManualClock
from services.common.errors import InvalidInputError
from tests.factories import make_envelope, payload_of
from tests.unit.clues.conftest import as_leader, as_staff, intake

CONTENT = {
    "subject_name": "贾卫东",
    "subject_unit": "核与辐射安全监管司",
    "subject_post": "处长",
    "key_person": False,
    "categories": ["integrity"],
    "summary": "巡视中发现其在核安全许可审查中接受管理服务对象宴请",
}


def referral(public_key: str, position: int = 7, referral_id: str = "ref-001") -> object:
    payload = ClueReferred(
        referral_id=referral_id, round_id="round-2025-1", activity_id=None, sealed_content=seal(CONTENT, public_key)
    )
    return make_envelope(payload, service="inspections", position=position)


def deliver(app: CluesApplication, envelope: object) -> bool:
    return app.process_integration_event(envelope, payload_of(envelope))  # type: ignore[arg-type]


def test_referral_delivered_twice_makes_one_clue(app: CluesApplication, keypair: tuple[str, str]) -> None:
    envelope = referral(keypair[1])
    assert deliver(app, envelope) is True
    assert deliver(app, envelope) is False
    queue = intake(app)
    assert len(queue) == 1
    assert queue[0]["referral_id"] == "ref-001" and queue[0]["round_id"] == "round-2025-1"
    assert "贾卫东" not in str(queue)


def test_referral_republished_at_another_position_still_makes_one_clue(
    app: CluesApplication, keypair: tuple[str, str]
) -> None:
    assert deliver(app, referral(keypair[1], position=7)) is True
    assert deliver(app, referral(keypair[1], position=9)) is False
    assert len(intake(app)) == 1


def test_referred_clue_is_opened_by_the_leader_and_its_content_unsealed(
    app: CluesApplication, keypair: tuple[str, str]
) -> None:
    deliver(app, referral(keypair[1]))
    clue_id = intake(app)[0]["clue_id"]
    assert app.load(clue_id).access_scope().compartment == frozenset()
    with as_leader(app):
        app.accept_referral(clue_id, "li.na", ["zhou.min"])
        content = app.read_clue(clue_id, "li.na", "受理巡视移交线索")
    assert content["status"] == "registered"
    assert content["source"] == "inspection_referral"
    assert content["subject"].model_dump() == {"name": "贾卫东", "unit": "核与辐射安全监管司", "post": "处长", "key_person": False}
    assert content["allegations"]["summary"] == CONTENT["summary"]
    assert content["referral"]["referral_id"] == "ref-001"
    assert intake(app) == []
    assert app.load(clue_id).access_scope().compartment == {"li.na", "zhou.min"}


def test_referral_for_another_key_cannot_be_opened(app: CluesApplication) -> None:
    _, stranger_public = generate_keypair()
    with pytest.raises(InvalidTag):
        deliver(app, referral(stranger_public))
    assert intake(app) == []


def test_referral_without_the_private_key_is_a_configuration_error(keypair: tuple[str, str]) -> None:
    app = CluesApplication(clock=ManualClock(datetime(2025, 3, 3, tzinfo=UTC)))
    with pytest.raises(SealingKeyMissingError):
        deliver(app, referral(keypair[1]))


def issued_recommendation(app: CluesApplication) -> str:
    with as_staff(app):
        rec_id = str(app.draft_recommendation(
            "group-mee", "unit-mee", "驻部纪检监察组建议〔2025〕2号", "关于规范执法检查中廉洁风险防控的建议",
            ["督察执法中存在吃拿卡要风险"], ["建立执法全过程记录制度"], "生态环境执法局", date(2025, 6, 30),
        )["recommendation_id"])
    with as_leader(app):
        app.issue_recommendation(rec_id)
    return rec_id


def report(subject_ref: str, unit_id: str = "unit-mee", completed: bool = True, position: int = 3) -> object:
    payload = RectificationReported(report_id=f"rpt-{position}", subject_ref=subject_ref,
                                    summary="已建立执法全过程记录制度并全面推行", completed=completed)
    return make_envelope(payload, service="units", position=position, unit_id=unit_id, distribution="unit")


def test_units_rectification_report_is_recorded_on_the_recommendation(app: CluesApplication) -> None:
    rec_id = issued_recommendation(app)
    assert deliver(app, report(rec_id)) is True
    view = app.get_recommendation(rec_id)
    assert view["status"] == "responded" and view["responses"][0]["completed"] is True
    with as_leader(app):
        app.close_recommendation(rec_id, "现场抽查执法记录 20 份，制度已落实")
    assert app.get_recommendation(rec_id)["status"] == "closed"


def test_reports_about_other_things_or_from_another_unit_are_ignored(app: CluesApplication) -> None:
    rec_id = issued_recommendation(app)
    deliver(app, report("some-ledger-item", position=4))
    deliver(app, report(rec_id, unit_id="unit-mwr", position=5))
    assert app.get_recommendation(rec_id)["responses"] == []


def test_the_leader_assigns_only_people_who_may_know_the_clue(app: CluesApplication, keypair: tuple[str, str]) -> None:
    deliver(app, referral(keypair[1]))
    clue_id = intake(app)[0]["clue_id"]
    people = [DirectoryEntry(user_id="zhou.min", org_id="group-mee", org_kind="group", roles=["group_staff"]),
              DirectoryEntry(user_id="zhou.other", org_id="group-mwr", org_kind="group", roles=["group_staff"]),
              DirectoryEntry(user_id="zhao.unit", org_id="unit-mee", org_kind="unit", roles=["unit_liaison"])]
    with as_leader(app):
        for refused in ("zhou.other", "zhao.unit", "nobody"):
            with pytest.raises(InvalidInputError) as error:
                app.accept_referral(clue_id, "li.na", ["zhou.min", refused], directory=people)
            assert error.value.code == "not_allowed_in_compartment" and refused in error.value.message
        assert app.load(clue_id).status == "referred"
        app.accept_referral(clue_id, "li.na", ["zhou.min"], directory=people)
    assert app.load(clue_id).access_scope().compartment == {"li.na", "zhou.min"}
