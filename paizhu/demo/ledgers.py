"""Demo ledgers of the group resident in the Ministry of Ecology and Environment (seed 002, part four).

Five detail-ledger categories, directives in each with stages and four-list items, a scheduling round,
a reconciliation with mismatches, overdue items, closures with evidence, and a look-back that reopens one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from gateway.accounts import ACCOUNTS
from gateway.auth import principal_from_claims
from paizhu.demo import supervision
from services.common.context import command_context, current
from services.common.errors import NotFoundError
from services.ledgers.vocab import DEMO_CATEGORIES

GROUP, UNIT = "group-mee", "unit-mee"
STAGE_LIMITS = {
    "relay_study": {"basis": "working", "count": 5},
    "deployment": {"basis": "working", "count": 15},
    "plan": {"basis": "calendar", "count": 45},
}
DIRECTIVES = (
    # reference, issuer, title, issued, received, lead department, category
    ("中办发〔2024〕61号", "中共中央办公厅", "关于深入推进长江经济带生态环境保护修复的重要批示",
     date(2024, 12, 27), date(2025, 1, 3), "水生态环境司", "river_basins"),
    ("国核安发〔2025〕2号", "国务院办公厅", "关于进一步加强核电厂运行安全监管的重要指示",
     date(2025, 1, 2), date(2025, 1, 6), "核电安全监管司", "nuclear_safety"),
    ("中办发〔2025〕9号", "中共中央办公厅", "关于推动黄河流域生态保护和高质量发展的重要指示",
     date(2025, 2, 20), date(2025, 2, 24), "黄河流域生态环境监督管理局", "river_basins"),
    ("中发〔2025〕5号", "中共中央 国务院", "关于深入打好污染防治攻坚战的意见",
     date(2025, 2, 25), date(2025, 2, 28), "大气环境司", "pollution_prevention"),
    ("中办发〔2025〕14号", "中共中央办公厅", "关于做好第三轮中央生态环境保护督察整改工作的通知",
     date(2025, 3, 3), date(2025, 3, 5), "中央生态环境保护督察办公室", "central_inspection"),
    ("国发〔2025〕7号", "国务院", "关于加快推进碳达峰碳中和重点工作的通知",
     date(2025, 3, 4), date(2025, 3, 7), "应对气候变化司", "carbon_peaking"),
)


def _file(text: str) -> str:
    """A closure's evidence: the content address of an uploaded file (here the demo document's text)."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _checks(similar: str, rules: str, quality: str, note: str = "") -> list[dict[str, str]]:
    """The look-back's three findings: 举一反三, 制度机制建设, 抓落实提质效."""
    return [{"check": "similar_matters", "finding": similar, "note": note},
            {"check": "rule_building", "finding": rules, "note": ""},
            {"check": "quality", "finding": quality, "note": ""}]


def _at(demo: Any, day: date, hour: int = 2) -> None:
    """Move the demo clock forward to this Beijing morning (never backwards)."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    if moment > demo.clock.now():
        demo.clock.set(moment)


def _directive(app: Any, row: tuple[Any, ...]) -> str:
    """Register a directive, or reuse the entry the unit's notification already opened."""
    reference, issuer, title, issued, received, department, category = row
    for existing in app.directives(GROUP, UNIT, None, False):
        if existing.reference_number == reference:
            if existing.category != category:
                app.categorise_directive(str(existing.id), category, reason="纳入细账管理 (filed in a detail ledger)")
            return str(existing.id)
    result = app.register_directive(group_id=GROUP, unit_id=UNIT, reference_number=reference, issuer=issuer,
                                    title=title, issued_on=issued, received_on=received,
                                    lead_department=department, category=category, tied_to_duties=True)
    return str(result["directive_id"])


def _stages(app: Any, directive_id: str, *done: tuple[str, date, str, str], first_agenda_item: bool | None = None,
            ) -> None:
    """Record stages; `first_agenda_item` (第一议题) goes with the relay_study stage."""
    for stage, day, summary, meeting in done:
        app.record_stage(directive_id, stage, day, summary, "部党组", meeting=meeting,
                         first_agenda_item=first_agenda_item if stage == "relay_study" else None)


def _person(demo: Any, name: str) -> str | None:
    """The person id of a cadre of the unit's roster (the units demo seeds it first); None where there is none
    (the ledgers demo seeded alone)."""
    if "units" not in demo.platform.apps:
        return None
    try:
        posts = demo.platform.apps["units"].get_unit(UNIT)["posts"]
    except NotFoundError:
        return None
    return next((str(p["person_id"]) for p in posts if p["person_name"] == name), None)


def seed(demo: Any) -> None:
    app = demo.app("ledgers")
    _at(demo, date(2025, 1, 6))
    with demo.acting("li.na"):
        for code, name, days in DEMO_CATEGORIES:
            app.configure_category(group_id=GROUP, code=code, name=name, look_back_days=days,
                                   stage_limits=STAGE_LIMITS)
        # 专人督办 of the items inspections and recommendations open on their own
        app.set_default_follower(group_id=GROUP, follower="wang.qiang")
    with demo.acting("zhang.wei"):
        yangtze, nuclear = _directive(app, DIRECTIVES[0]), _directive(app, DIRECTIVES[1])
        # 第一议题 in time: received Friday 01-03, studied the next working day
        _stages(app, yangtze, ("relay_study", date(2025, 1, 6), "部党组会议第一议题传达学习", "部党组会议"),
                first_agenda_item=True)
        app.add_item(directive_id=yangtze, list_kind="task", title="长江沿线废矿物油专项整治",
                           owner="固体废物与化学品司", follower="zhou.min",
                           deadline={"basis": "working", "count": 40, "from_date": date(2025, 1, 6)})
        app.add_item(directive_id=yangtze, list_kind="responsibility", title="水生态环境司牵头，长江局配合",
                     owner="水生态环境司", follower="zhou.min")
        perfunctory = app.add_item(
            directive_id=yangtze, list_kind="problem", title="个别地方整治方案照搬照抄、敷衍塞责",
            owner="长江流域生态环境监督管理局", follower="zhang.wei", problem_type="perfunctory",
            deadline={"basis": "working", "count": 30, "from_date": date(2025, 1, 6)})["item_id"]
        app.judge_problem(perfunctory, ["insufficient_responsibility", "capability_and_conduct"], "individual",
                          note="跟踪式监督中发现，属个别干部履职不到位")
        app.qualify_problem(perfunctory, deviations=["workaround", "discounted"], gaps=["lukewarm"],
                            obstacles=["blockage"], note="方案照搬照抄，打折扣落实；基层压力传导存在堵点")
        app.add_item(directive_id=yangtze, list_kind="implementation", title="召开长江保护修复专题推进会",
                     owner="办公厅", follower="zhang.wei", evidence_refs=["doc:专题推进会会议纪要"])
        inspection = app.add_item(directive_id=nuclear, list_kind="task", title="开展核电厂运行安全专项检查",
                                  owner="核电安全监管司", follower="zhang.wei",
                                  deadline={"basis": "working", "count": 20, "from_date": date(2025, 1, 7)})["item_id"]
        rules = app.add_item(directive_id=nuclear, list_kind="implementation", title="修订核安全监督检查办法",
                             owner="核电安全监管司", follower="zhou.min")["item_id"]
    _at(demo, date(2025, 1, 20))
    with demo.acting("zhang.wei"):
        # 第一议题 late: received Monday 01-06, studied 8 working days later (the threshold is 7): an HQ alert
        _stages(app, nuclear, ("relay_study", date(2025, 1, 16), "部党组会议第一议题传达学习（超过时限）", "部党组会议"),
                first_agenda_item=True)
        _stages(app, yangtze, ("deployment", date(2025, 1, 17), "印发工作部署通知", "部常务会议"))
        _stages(app, nuclear, ("deployment", date(2025, 1, 20), "专题部署运行安全检查", "部党组会议"),
                ("plan", date(2025, 1, 24), "印发专项检查方案", "部长专题会"))
        app.attach_evidence(inspection, ["doc:核电厂运行安全专项检查报告"], note="检查覆盖全部在运机组")
    _at(demo, date(2025, 2, 10))
    with demo.acting("wang.qiang"):
        app.close_item(inspection, summary="专项检查完成，问题已整改", evidence_refs=[_file("整改验收记录")])
        app.close_item(rules, summary="办法已印发", evidence_refs=[_file("核安全监督检查办法（2025年修订）")])
    _at(demo, date(2025, 3, 7))
    with demo.acting("zhang.wei"):
        yellow = _directive(app, DIRECTIVES[2])
        pollution = _directive(app, DIRECTIVES[3])
        central = _directive(app, DIRECTIVES[4])
        carbon = _directive(app, DIRECTIVES[5])
        _stages(app, yellow, ("relay_study", date(2025, 2, 26), "部党组会议传达学习", "部党组会议"))
        _stages(app, pollution, ("relay_study", date(2025, 3, 3), "部党组会议传达学习", "部党组会议"),
                ("deployment", date(2025, 3, 6), "全国生态环境系统视频会议部署", "视频会议"))
        _stages(app, central, ("relay_study", date(2025, 3, 6), "部党组会议传达学习", "部党组会议"))
        app.record_stage(carbon, "plan", date(2025, 3, 7), "并入年度碳达峰工作方案", "部党组",
                         skip_reason="已在年度工作会议统一传达部署 (relayed and deployed at the annual meeting)")
        one_size = app.add_item(
            directive_id=yellow, list_kind="problem", title="部分河段整治搞一刀切，简单关停沿河企业",
            owner="黄河流域生态环境监督管理局", follower="zhou.min", problem_type="one_size_fits_all",
            deadline={"basis": "working", "count": 30, "from_date": date(2025, 3, 7)})["item_id"]
        app.qualify_problem(one_size, deviations=["biased"], gaps=["deviation"], obstacles=["difficulty"],
                            note="简单关停偏离高质量发展要求；沿河企业转型是难点")
        app.add_item(directive_id=central, list_kind="task", title="督察整改方案报送",
                     owner="中央生态环境保护督察办公室", follower="zhang.wei",
                     deadline={"basis": "working", "count": 10, "from_date": date(2025, 3, 7)})
        # 以人看事: the department's head on the unit's roster owns it (his file lists it)
        app.add_item(directive_id=pollution, list_kind="task", title="重点区域秋冬季大气污染综合治理",
                     owner="大气环境司", owner_person_id=_person(demo, "高建民"), follower="zhou.min",
                     deadline={"basis": "calendar", "count": 240, "from_date": date(2025, 3, 7)})
        app.evaluate_department(nuclear, "核电安全监管司",
                                {"understanding": 5, "goal_setting": 4, "responsibility": 5, "drive": 4},
                                "第一时间传达部署，专项检查扎实，制度修订及时")
        app.evaluate_department(yangtze, "水生态环境司",
                                {"understanding": 4, "goal_setting": 3, "responsibility": 3, "drive": 3},
                                "部署及时，但个别地方方案照搬照抄，压力传导不够")
    _at(demo, date(2025, 3, 31))
    with demo.acting("zhang.wei"):
        round_id = app.open_scheduling_round(
            group_id=GROUP, unit_id=UNIT, subject="2025年一季度重要指示批示落实进展调度",
            directive_ids=[yangtze, yellow, pollution],
            respond_by={"basis": "working", "count": 5, "from_date": date(2025, 3, 31)})["round_id"]
        app.reconcile(group_id=GROUP, unit_id=UNIT, report_id="demo-督查专报-2025Q1", period="2025Q1", items=[
            {"reference_number": DIRECTIVES[0][0], "title": DIRECTIVES[0][2], "status": "in_progress"},
            {"reference_number": DIRECTIVES[1][0], "title": DIRECTIVES[1][2], "status": "completed"},
            {"reference_number": DIRECTIVES[3][0], "title": DIRECTIVES[3][2], "status": "in_progress"},
            {"reference_number": "环办〔2025〕3号", "title": "关于木里矿区生态修复整治的批示", "status": "in_progress"},
        ])
    _answer_round(demo, app, round_id, yangtze, yellow)
    _at(demo, date(2025, 4, 14))
    with demo.acting("li.na"):
        app.run_scheduler()  # overdue: the oil task, the perfunctory problem, the round; look-backs due
        app.record_look_back(inspection, "回头看发现个别机组整改反弹，举一反三不到位",
                             checks=_checks("inadequate", "adequate", "inadequate", "同类机组未同步排查"),
                             reopen=True, deadline={"basis": "working", "count": 15, "from_date": date(2025, 4, 14)})
        app.record_look_back(rules, "制度执行良好，同类制度已同步修订",
                             checks=_checks("adequate", "adequate", "adequate"))
        _quarterly_review(app)
    supervision.seed_ledgers(demo, app, yangtze, perfunctory)


@contextmanager
def _in_portal(user_id: str, action: str) -> Iterator[None]:
    """A command as the user's portal runs it: their principal and the permission of the route (the unit's
    answer records that the unit answered)."""
    account = ACCOUNTS[user_id]
    principal = principal_from_claims({"sub": user_id, "org": account.org_id})
    with command_context(replace(current(), principal=principal, action=action)):
        yield


def _answer_round(demo: Any, app: Any, round_id: str, yangtze: str, yellow: str) -> None:
    """定期调度 as one mechanism: the unit's liaison answers one directive in its portal, the unit's progress report
    naming the round answers another (the ledgers' policy records it); the third stays unanswered, overdue."""
    _at(demo, date(2025, 4, 3))
    with demo.acting("zhao.unit"), _in_portal("zhao.unit", "ledgers.answer_round"):
        app.record_round_response(round_id, yangtze, "in_progress",
                                  "已制定长江保护修复攻坚战实施方案，沿江11省市排查整治工作推进过半。")
    if "units" not in demo.platform.apps or not demo.app("units").max_position():
        return  # the ledgers' scenario alone (no unit registered to report)
    with demo.acting("zhao.unit"):
        demo.app("units").submit_progress_report(
            unit_id=UNIT, title="关于黄河流域生态保护重要指示落实进展的报告", subject_ref="2025年一季度重要指示批示落实进展调度",
            period="2025Q1", summary="黄河流域生态保护各项任务按计划推进。", round_id=round_id,
            directive_statuses=[{"directive_id": yellow, "status": "in_progress",
                                 "summary": "沿黄九省区入河排污口排查完成，整治方案已印发。"}])
    demo.sync()  # the ledgers' policy records the report's answer on the round


def _quarterly_review(app: Any) -> None:
    """组务会季度专题研究 of 2025Q1 and the group's self look-back (自身回头看)."""
    review_id = app.record_quarterly_review(
        group_id=GROUP, quarter="2025Q1", meeting_on=date(2025, 4, 14), chaired_by="李娜",
        attendees=["李娜", "王强", "张伟", "周敏"],
        topics=["一季度重要指示批示贯彻落实情况", "一季度对账发现问题及整改跟踪", "逾期事项与回头看重新打开事项"],
        decisions=["对逾期的废矿物油整治任务和敷衍塞责问题逐项约谈督办",
                   "木里矿区生态修复批示未入总账，督促部办公厅补登并说明原因",
                   "二季度围绕核安全监管开展点穴式监督"],
        follow_ups=[
            {"action": "约谈固体废物与化学品司主要负责人", "owner": "王强", "deadline": date(2025, 4, 30)},
            {"action": "督促补登总账漏登事项并复核对账", "owner": "张伟", "deadline": date(2025, 4, 25)},
            {"action": "制定核安全监管点穴式监督方案", "owner": "周敏", "deadline": date(2025, 5, 15)},
        ],
    )["review_id"]
    app.record_self_look_back(
        review_id,
        good_practices=["总账细账动态更新，四单合一逐项明确专人督办", "对账及时发现总账漏登和状态不一致"],
        shortcomings=["对逾期事项预警不够及时，两项任务逾期后才督办", "回头看中举一反三检查不够深入"],
        causes=["督办节点未按工作日提前预警", "回头看清单未列明同类事项"],
        measures=["期限前5个工作日提醒责任人和督办人", "回头看时同步核查关联同类事项并记录"],
    )
