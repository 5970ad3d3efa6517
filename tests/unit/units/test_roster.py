from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import ConflictError, InvalidInputError
from tests.unit.units.conftest import Ctx


def test_unit_roster_keeps_departments_with_their_levels(ctx: Ctx) -> None:
    roster = ctx.app.get_unit("unit-mee")
    kinds = {d["department_id"]: d["kind"] for d in roster["departments"]}
    assert kinds == {"party-group": "party_group", "dqs": "bureau", "dqs-zhc": "division", "zfj": "bureau",
                     "hjjcs": "subordinate"}
    assert next(d for d in roster["departments"] if d["department_id"] == "dqs-zhc")["parent_id"] == "dqs"


def test_division_needs_a_bureau_as_parent(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhang.wei", "add_department", unit_id="unit-mee", department_id="x", name="某处", kind="division")
    assert refused.value.code == "parent_required"
    with pytest.raises(InvalidInputError):
        ctx.call("zhang.wei", "add_department", unit_id="unit-mee", department_id="x", name="某处",
                 kind="division", parent_id="hjjcs")


def test_a_second_head_is_refused_until_the_first_leaves_and_history_is_kept(ctx: Ctx) -> None:
    first = ctx.call("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="甲", post_kind="head",
                     title="部长、部党组书记", department_id="party-group", since=date(2020, 1, 1))
    with pytest.raises(ConflictError) as refused:
        ctx.call("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="乙", post_kind="head",
                 title="部长", department_id="party-group", since=date(2025, 1, 1))
    assert refused.value.code == "post_occupied"
    ctx.call("zhang.wei", "record_leaving", unit_id="unit-mee", post_id=first["post_id"], left_on=date(2025, 1, 1),
             reason="工作调动")
    ctx.call("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="乙", post_kind="head",
             title="部长", department_id="party-group", since=date(2025, 1, 2))
    current = ctx.app.get_unit("unit-mee")
    assert [p["person_name"] for p in current["posts"] if p["post_kind"] == "head"] == ["乙"]
    full = ctx.app.get_unit("unit-mee", include_history=True)
    assert [p["person_name"] for p in full["posts"] if p["post_kind"] == "head"] == ["甲", "乙"]
    assert [e["event"] for e in full["history"]].count("PersonAppointed") == 2
    assert "PersonLeftPost" in [e["event"] for e in full["history"]]


def test_leaving_before_appointment_is_refused(ctx: Ctx) -> None:
    post = ctx.call("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="丙", post_kind="leadership",
                    title="副部长", department_id="party-group", since=date(2023, 5, 1))
    with pytest.raises(InvalidInputError):
        ctx.call("zhang.wei", "record_leaving", unit_id="unit-mee", post_id=post["post_id"],
                 left_on=date(2023, 4, 1), reason="调任")


def test_three_level_network_lists_secretary_members_and_branch_members(ctx: Ctx) -> None:
    c = ctx.call
    c("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="丁", post_kind="discipline_secretary",
      title="机关纪委书记", department_id="party-group", since=date(2024, 1, 1))
    c("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="戊", post_kind="discipline_member",
      title="机关纪委委员", department_id="party-group", since=date(2024, 1, 1))
    c("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="己", post_kind="branch_discipline_member",
      title="支部纪检委员", department_id="dqs", since=date(2024, 1, 1))
    network = ctx.app.get_unit("unit-mee")["network"]
    assert [p["person_name"] for p in network["discipline_secretary"]] == ["丁"]
    assert [p["person_name"] for p in network["discipline_member"]] == ["戊"]
    assert [p["person_name"] for p in network["branch_discipline_member"]] == ["己"]
    with pytest.raises(InvalidInputError):
        c("zhang.wei", "appoint_person", unit_id="unit-mee", person_name="庚", post_kind="branch_discipline_member",
          title="支部纪检委员", department_id="party-group", since=date(2024, 1, 1))


def test_department_with_divisions_cannot_be_dissolved(ctx: Ctx) -> None:
    with pytest.raises(ConflictError) as refused:
        ctx.call("zhang.wei", "dissolve_department", unit_id="unit-mee", department_id="dqs")
    assert refused.value.code == "department_has_children"
    ctx.call("zhang.wei", "dissolve_department", unit_id="unit-mee", department_id="dqs-zhc")
    ctx.call("zhang.wei", "rename_department", unit_id="unit-mee", department_id="dqs", new_name="大气环境司（新）")
    roster = ctx.app.get_unit("unit-mee")
    assert next(d for d in roster["departments"] if d["department_id"] == "dqs-zhc")["active"] is False
    assert next(d for d in roster["departments"] if d["department_id"] == "dqs")["name"] == "大气环境司（新）"
