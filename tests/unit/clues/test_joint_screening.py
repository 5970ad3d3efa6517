"""Joint screening with the unit's discipline committee: in part, never about the unit's leadership."""

from __future__ import annotations

import pytest

from services.clues.application import CluesApplication
from services.clues.domainmodel import JointScreeningRefusedError
from services.clues.interface import DirectoryEntry
from services.common.errors import InvalidInputError, NotFoundError
from tests.factories import acting_as
from tests.unit.clues.conftest import SUBJECT_NAME, SUMMARY, as_leader, register


def test_clue_about_the_units_leadership_is_never_shared_with_the_unit(app: CluesApplication) -> None:
    clue_id = register(app, key_person=True, subject_post="党组成员、副部长")
    with as_leader(app), pytest.raises(JointScreeningRefusedError) as error:
        app.share_for_joint_screening(clue_id, ["zhao.unit"], ["allegations"], "联合排查")
    assert error.value.code == "joint_screening_of_unit_leadership"
    assert "领导班子" in error.value.message
    assert state_joint(app, clue_id) is None


def state_joint(app: CluesApplication, clue_id: str) -> object:
    return app.load(clue_id).joint_screening


def test_group_notes_are_never_shareable(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_leader(app), pytest.raises(InvalidInputError):
        app.share_for_joint_screening(clue_id, ["zhao.unit"], ["allegations", "notes"], "联合排查")


def test_invited_unit_user_reads_only_the_shared_parts_and_the_read_is_recorded(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_leader(app):
        app.share_for_joint_screening(clue_id, ["zhao.unit"], ["allegations"], "与机关纪委联合排查")
    with app.acting(acting_as("zhao.unit", "unit-mee", "unit_liaison")):
        shared = app.read_joint_screening(clue_id, "zhao.unit", "联合排查核对")
        with pytest.raises(NotFoundError):
            app.read_joint_screening(clue_id, "ma.party", "想看看")
    assert shared["allegations"]["summary"] == SUMMARY
    assert "subject" not in shared and "notes" not in shared
    assert SUBJECT_NAME not in str(shared)
    reads = app.list_disclosures(clue_id)
    assert [(r["reader"], r["channel"], r["parts"]) for r in reads] == [("zhao.unit", "joint_screening", ["allegations"])]


def test_after_joint_screening_concludes_the_unit_reads_nothing(app: CluesApplication) -> None:
    clue_id = register(app)
    with as_leader(app):
        app.share_for_joint_screening(clue_id, ["zhao.unit"], ["subject", "allegations"], "联合排查")
        app.conclude_joint_screening(clue_id, "排查认为需进一步核实")
        with pytest.raises(NotFoundError):
            app.read_joint_screening(clue_id, "zhao.unit", "再看一次")
    assert app.load(clue_id).joint_screening_scope().compartment == frozenset()


def test_only_the_units_discipline_committee_is_invited_when_the_directory_is_known(app: CluesApplication) -> None:
    clue_id = register(app)
    party = DirectoryEntry(user_id="ma.party", org_id="unit-mee", org_kind="unit", roles=["unit_party_group"])
    other_unit = DirectoryEntry(user_id="qian.unit2", org_id="unit-mwr", org_kind="unit", roles=["unit_liaison"])
    liaison = DirectoryEntry(user_id="zhao.unit", org_id="unit-mee", org_kind="unit", roles=["unit_liaison"])
    with as_leader(app):
        for person in (party, other_unit):
            with pytest.raises(InvalidInputError) as error:
                app.share_for_joint_screening(clue_id, [person.user_id], ["allegations"], "联合排查",
                                              directory=[person])
            assert error.value.code == "not_discipline_committee"
        with pytest.raises(InvalidInputError):  # someone the directory does not know
            app.share_for_joint_screening(clue_id, ["nobody"], ["allegations"], "联合排查", directory=[])
        app.share_for_joint_screening(clue_id, ["zhao.unit"], ["allegations"], "联合排查", directory=[liaison])
    assert app.load(clue_id).joint_screening_scope().compartment == {"zhao.unit"}
