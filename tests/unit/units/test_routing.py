from __future__ import annotations

from datetime import date

import pytest

from services.units.routing import WrongCounterpartError
from tests.factories import acting_as
from tests.unit.units.conftest import Ctx, items_of

DEADLINE = date(2025, 4, 30)


def _request(ctx: Ctx, user: str, counterpart: str) -> dict[str, object]:
    result: dict[str, object] = ctx.call(
        user, "issue_request", unit_id="unit-mee", kind="document_request", title="调阅大气污染防治资料",
        body="请提供2024年大气污染防治攻坚战工作台账", counterpart_id=counterpart, deadline=DEADLINE,
    )
    return result


def test_each_level_is_signed_by_its_counterpart_in_the_group(ctx: Ctx) -> None:
    assert _request(ctx, "li.na", "party-group")["item_id"]
    assert _request(ctx, "wang.qiang", "dqs")["item_id"]
    assert _request(ctx, "zhang.wei", "dqs-zhc")["item_id"]
    assert _request(ctx, "zhang.wei", "hjjcs")["item_id"]
    levels = {i["counterpart_id"]: (i["level"], i["signer_role"]) for i in items_of(ctx.app, "unit-mee")}
    assert levels["party-group"] == ("party_group", "group_leader")
    assert levels["dqs"] == ("bureau", "group_deputy")


@pytest.mark.parametrize(
    ("user", "counterpart"),
    [
        ("wang.qiang", "party-group"),  # deputy to the party group
        ("zhang.wei", "party-group"),  # staff to the party group
        ("zhang.wei", "dqs"),  # staff to a bureau
        ("li.na", "dqs"),  # leader to a bureau: the deputy in charge speaks for it
        ("wang.qiang", "dqs-zhc"),  # deputy to a division
    ],
)
def test_message_to_the_wrong_counterpart_is_refused(ctx: Ctx, user: str, counterpart: str) -> None:
    with pytest.raises(WrongCounterpartError) as refused:
        _request(ctx, user, counterpart)
    assert refused.value.code == "wrong_counterpart"
    assert "(" in refused.value.message and "signed by" in refused.value.message
    assert items_of(ctx.app, "unit-mee") == []


def test_named_deputy_in_charge_of_a_bureau_is_the_only_signer(ctx: Ctx) -> None:
    ctx.call("li.na", "assign_counterpart", unit_id="unit-mee", counterpart_id="zfj", member="wang.qiang",
             member_role="group_deputy")
    # another deputy (same role, not the one in charge) is refused
    with ctx.app.acting(acting_as("sun.deputy", "group-mee", "group_deputy")), pytest.raises(WrongCounterpartError):
        ctx.app.issue_request(unit_id="unit-mee", kind="directive_relay", title="传达执法检查部署",
                              body="请报送执法检查进展", counterpart_id="zfj", deadline=DEADLINE)
    assert _request(ctx, "wang.qiang", "zfj")["item_id"]
    routes = {r["counterpart_id"]: r for r in ctx.app.get_routing("unit-mee")["routes"]}
    assert routes["zfj"]["member"] == "wang.qiang"
    assert routes["dqs"]["member_role"] == "group_deputy" and routes["dqs"]["member"] == ""


def test_assigning_a_staff_member_to_the_party_group_is_refused(ctx: Ctx) -> None:
    with pytest.raises(WrongCounterpartError):
        ctx.call("li.na", "assign_counterpart", unit_id="unit-mee", counterpart_id="party-group",
                 member="zhang.wei", member_role="group_staff")
