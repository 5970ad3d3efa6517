"""Demo data of the inspections service: a completed round of unit-mee by team-3 (briefing package,
referrals, findings, rectification with one item overdue, a look-back), a round in progress, and the
seed's three pinpoint studies (点穴式监督)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from projections.inspection_handoff.package import SOURCE_SERVICES, build_package, package_hash
from services.common.clock import today

TEAM = ["liu.team", "xu.team"]

REFERRALS = (
    {"subject_name": "吴某", "subject_unit": "生态环境部某直属单位", "subject_post": "副主任", "key_person": False,
     "categories": ["integrity"], "summary": "反映其在环境监测项目招标中为特定企业提供便利"},
    {"subject_name": "郑某", "subject_unit": "生态环境部某司", "subject_post": "处长", "key_person": False,
     "categories": ["work", "integrity"], "summary": "反映其在督察执法中对企业违法排污问题放松监管"},
)

FINDINGS = (
    ("落实长江保护修复攻坚战部署不够到位", "长江沿线部分地区废矿物油非法收集处置问题整改进度滞后", "perfunctory",
     "固体废物与化学品司", 45),
    ("中央生态环境保护督察反馈问题整改存在“一刀切”", "个别地方督察整改采取简单关停方式，影响群众生产生活",
     "one_size_fits_all", "中央生态环境保护督察办公室", 60),
    ("环评审批权力运行监督制约不够有力", "环评审批廉政风险点排查不全面，制度执行存在漏洞", "other",
     "环境影响评价与排放管理司", 30),
)

PINPOINT_STUDIES = (
    ("长江沿线废矿物油整治", "completed"),
    ("黄河流域生态环境突出问题整治", "under_way"),
    ("木里矿区生态修复整治", "planned"),
)


def _today(demo: Any) -> date:
    return today(demo.clock)


def _advance_to(demo: Any, day: date) -> None:
    delta = day - today(demo.clock)
    if delta.days > 0:
        demo.clock.advance(timedelta(days=delta.days))


def _briefing_package(demo: Any, round_id: str, unit_id: str) -> tuple[dict[str, int], str]:
    """Build the package as the gateway does: from the handoff read model, or the feeds when it is absent."""
    runner = demo.platform.runners.get("inspection_handoff")
    if runner is not None:
        from projections.inspection_handoff.view import InspectionHandoffView

        view = InspectionHandoffView(demo.platform.read_db)
        positions = view.current_positions()
        return positions, view.build(round_id, unit_id, positions)[1]
    envelopes = []
    positions = {}
    for service in SOURCE_SERVICES:
        if service in demo.platform.apps:
            found, last = demo.platform.apps[service].integration_events(0, 100_000)
            envelopes.extend(found)
            positions[service] = last
    package = build_package(envelopes, round_id=round_id, unit_id=unit_id, positions=positions)
    return positions, package_hash(package)


def _clue_to_hand_over(demo: Any, unit_id: str) -> str | None:
    if "clues" not in demo.platform.apps:
        return None
    envelopes, _ = demo.platform.apps["clues"].integration_events(0, 100_000)
    for envelope in envelopes:
        if envelope.type == "clues.ClueRegistered" and envelope.unit_id == unit_id:
            return str(envelope.payload.get("clue_id") or envelope.stream_id)
    return None


def _completed_round(demo: Any) -> None:
    app = demo.app("inspections")
    start = _today(demo)
    phases = {
        "before_start": start, "before_end": start + timedelta(days=6),
        "during_start": start + timedelta(days=7), "during_end": start + timedelta(days=50),
        "after_start": start + timedelta(days=51), "after_end": start + timedelta(days=140),
    }
    with demo.acting("zhang.wei"):
        round_id = app.record_round(group_id="group-mee", unit_id="unit-mee",
                                    title="中央第三巡视组对生态环境部党组常规巡视", team_id="team-3",
                                    member_ids=TEAM, **phases)["round_id"]
        app.open_round(round_id)
    clue_id = _clue_to_hand_over(demo, "unit-mee")
    if clue_id:
        with demo.acting("li.na"):
            app.hand_over_clue(round_id, clue_id, "该线索涉及巡视重点关注的环评审批领域，经组务会研究移交巡视组参阅")
    demo.sync()
    positions, digest = _briefing_package(demo, round_id, "unit-mee")
    with demo.acting("zhang.wei"):
        app.freeze_briefing_package(round_id, positions, digest)
    _advance_to(demo, phases["during_start"] + timedelta(days=3))
    with demo.acting("xu.team"):
        asked = app.request_information(round_id, "team_to_group", "请提供近三年监督台账及督查专报对账情况",
                                        _today(demo) + timedelta(days=5))
    with demo.acting("liu.team"):
        for content in REFERRALS:
            app.refer_clue(round_id, **content)
    with demo.acting("zhang.wei"):
        app.answer_information(round_id, asked["request_id"], "已提供总账、细账及2024年度对账记录", side="group")
    _advance_to(demo, phases["during_end"] - timedelta(days=5))
    items = []
    with demo.acting("liu.team"):
        for title, description, problem_type, department, days in FINDINGS:
            finding_id = app.record_finding(round_id, title, description, problem_type, department,
                                            _today(demo) + timedelta(days=days))["finding_id"]
            app.hand_over_finding(round_id, finding_id)
            items.append(finding_id)
    demo.sync()
    _advance_to(demo, phases["after_start"] + timedelta(days=10))
    with demo.acting("zhang.wei"):
        app.record_rectification_progress(round_id, items[0], "已制定整改方案，完成沿线排查", completed=False)
        app.record_rectification_progress(round_id, items[1], "已纠正简单关停做法，建立分类处置机制", completed=True)
        app.record_rectification_progress(round_id, items[0], "非法处置点位全部清理，建立长效监管机制",
                                          completed=True)
        app.close_round(round_id, "巡视反馈完成，整改移交驻部纪检监察组日常监督")
        app.schedule_look_back(round_id, phases["after_end"], "巡视整改落实情况回头看")
    # the environmental-impact item is left open past its deadline: the scheduler marks it overdue
    _advance_to(demo, phases["after_start"] + timedelta(days=30))
    with demo.acting("zhang.wei"):
        app.check_deadlines()


def _round_in_progress(demo: Any) -> None:
    app = demo.app("inspections")
    start = _today(demo)
    with demo.acting("zhou.other"):
        round_id = app.record_round(
            group_id="group-mwr", unit_id="unit-mwr", title="中央第三巡视组对水利部党组常规巡视",
            team_id="team-3", member_ids=TEAM,
            before_start=start - timedelta(days=10), before_end=start - timedelta(days=4),
            during_start=start - timedelta(days=3), during_end=start + timedelta(days=45),
            after_start=start + timedelta(days=46), after_end=start + timedelta(days=130),
        )["round_id"]
        app.open_round(round_id)
    with demo.acting("liu.team"):
        app.request_information(round_id, "team_to_group", "请提供水利部党组落实河湖长制监督情况",
                                start + timedelta(days=7))


def _pinpoint_studies(demo: Any) -> None:
    app = demo.app("inspections")
    today = _today(demo)
    for index, (title, state) in enumerate(PINPOINT_STUDIES):
        with demo.acting("li.na"):
            activity_id = app.plan_activity(
                group_id="group-mee", unit_id="unit-mee", kind="pinpoint", title=title,
                plan=f"由组领导带队，围绕{title}开展调研督导，以调研促整改",
                participant_ids=["li.na", "wang.qiang", "zhang.wei"],
                methods=["leader_led_research", "onsite_research", "site_check"],
                start_on=today - timedelta(days=60 - 20 * index), end_on=today + timedelta(days=20 * index),
                leader_id="li.na", topic=title,
            )["activity_id"]
            if state == "planned":
                continue
            app.start_activity(activity_id, today - timedelta(days=60 - 20 * index))
            app.record_activity_work(activity_id, "onsite_research", today - timedelta(days=50 - 20 * index),
                                     f"赴一线实地调研{title}进展，听取地方汇报")
            finding_id = app.record_activity_finding(activity_id, f"{title}中部分地方整改存在反弹风险")["finding_id"]
            app.hand_over_activity_finding(activity_id, finding_id, f"{title}整改成效不稳固", "perfunctory",
                                           "生态环境部相关业务司局", today + timedelta(days=60))
            if state == "completed":
                app.complete_activity(activity_id, "督促驻在单位压实整改责任，整改总体到位", today)


def seed(demo: Any) -> None:
    """Seed the inspections demo (after units, ledgers and clues)."""
    _pinpoint_studies(demo)
    _completed_round(demo)
    _round_in_progress(demo)
    demo.sync()
