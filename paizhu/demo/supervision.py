"""Demo data of meeting supervision, the three-level network (units) and accountability (ledgers): the group
attends the ministry's party group meetings, exchanges views with the minister, talks with a vice-minister, trains
the discipline network, and proposes accountability for the perfunctory Yangtze rectification."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.errors import NotFoundError

UNIT = "unit-mee"
YANGTZE_BUREAU = ("cjj", "长江流域生态环境监督管理局", "subordinate")
YANGTZE_HEAD = ("陈立群", "department_head", "长江流域生态环境监督管理局局长")
"""Fictional: the head of the body that owns the perfunctory Yangtze problem (held accountable in the demo)."""


def person_id(units: Any, name: str) -> str:
    """The roster id of a person in post (the person's id where the roster keeps one, else their post's)."""
    for post in units.get_unit(UNIT)["posts"]:
        if post["person_name"] == name:
            return str(getattr(post, "person_id", None) or post["post_id"])
    raise LookupError(name)


def _has_roster(units: Any) -> bool:
    try:
        units.get_unit(UNIT)
    except NotFoundError:
        return False
    return True


def seed_units(demo: Any, app: Any) -> None:
    """Meetings attended, an exchange of views, a talk, a 三重一大 matter seen at a meeting, the network's work."""
    with demo.acting("zhang.wei"):
        department_id, name, kind = YANGTZE_BUREAU
        app.add_department(unit_id=UNIT, department_id=department_id, name=name, kind=kind, parent_id=None,
                           since=date(2019, 1, 1))
        person, post_kind, title = YANGTZE_HEAD
        app.appoint_person(unit_id=UNIT, person_name=person, post_kind=post_kind, title=title,
                           department_id=department_id, since=date(2022, 5, 1))
    minister, deputy = person_id(app, "林正国"), person_id(app, "吴海峰")
    with demo.acting("li.na"):
        app.record_leadership_contact(
            unit_id=UNIT, kind="exchange_of_views", held_on=date(2025, 7, 8), title="通报上半年监督发现的问题",
            person_ids=[minister], attended_by=["李娜", "王强"],
            observation="一把手表示对长江整治敷衍塞责问题严肃处理，压实主体责任", concern=False,
        )
    with demo.acting("wang.qiang"):
        app.record_leadership_contact(
            unit_id=UNIT, kind="talk", held_on=date(2025, 9, 2), title="与分管副部长谈心谈话",
            person_ids=[deputy], attended_by=["王强"],
            observation="对分管领域执法权力运行风险认识到位，但对下属单位督促不够", concern=True,
        )
    with demo.acting("zhang.wei"):
        network = [person_id(app, n) for n in ("周亚平", "许文", "何静", "罗斌", "唐敏")]
        app.record_network_activity(
            unit_id=UNIT, kind="joint_meeting", held_on=date(2025, 3, 20), title="三级联动监督联席会议",
            summary="通报一季度监督情况，部署执法领域联合监督", participant_ids=network)
        app.record_network_activity(
            unit_id=UNIT, kind="training", held_on=date(2025, 5, 15), title="支部纪检委员专题业务培训班",
            summary="讲授监督执纪问责要点和问题线索处置规范", participant_ids=network[2:])
        app.record_network_activity(
            unit_id=UNIT, kind="training_by_doing", held_on=date(2025, 8, 12), title="以干代训：参与执法领域专项监督",
            summary="支部纪检委员随组开展现场检查和个别谈话", participant_ids=[network[3]],
            assignment="生态环境执法领域廉政风险专项监督")


def seed_ledgers(demo: Any, app: Any, directive_id: str, item_id: str) -> None:
    """The party group meeting that relayed the Yangtze directive (its relay_study stage, attended by the group),
    and the perfunctory Yangtze problem, overdue: accountability proposed and decided."""
    units = demo.app("units")
    if not _has_roster(units):  # the ledgers' demo seeded alone: no roster to name people from
        return
    minister, deputy = person_id(units, "林正国"), person_id(units, "吴海峰")
    with demo.acting("li.na"):
        meeting = units.record_leadership_contact(
            unit_id=UNIT, kind="leadership_meeting", meeting_kind="party_group_meeting", held_on=date(2025, 1, 6),
            title="部党组会议（2025年第1次）", person_ids=[minister, deputy, person_id(units, "郑晓岚")],
            attended_by=["李娜"], observation="将长江保护修复重要批示作为第一议题传达学习，研究部署具体，分工明确",
            directive_id=directive_id, stage="relay_study",
        )
        units.observe_meeting_matter(contact_id=meeting["contact_id"], category="large_fund",
                                     title="长江入河排污口整治专项资金安排", department_id="sst",
                                     decided_on=date(2025, 1, 6), note="经集体研究决定，程序完整；关注资金拨付进度",
                                     amount_yuan=58_000_000)
    with demo.acting("zhang.wei"):
        proposed = app.propose_accountability(
            directive_id=directive_id, item_ids=[item_id], person_id=person_id(units, YANGTZE_HEAD[0]),
            form="admonishment", failed_duty="整治方案照搬照抄、敷衍塞责，逾期未完成整改",
            grounds="跟踪式监督发现问题，逾期后经两次督办仍未落实（执责必严、失责必问）")
    with demo.acting("li.na"):
        app.decide_accountability(proposed["accountability_id"], outcome="decided", form="admonishment",
                                  decided_by_body="部党组", decided_on=app.today(),
                                  note="部党组研究决定对其诫勉谈话")
