"""Demo data of the units service: the Ministry of Ecology and Environment's roster, routing matrix and a year
of traffic between the resident group and the ministry (one feedback item through full deliberation)."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

from paizhu.demo import supervision

UNIT = "unit-mee"
GROUP = "group-mee"

DEPARTMENTS = (
    ("bgt", "办公厅", "bureau", None),
    ("dqs", "大气环境司", "bureau", None),
    ("sst", "水生态环境司", "bureau", None),
    ("hss", "核设施安全监管司", "bureau", None),
    ("zfj", "生态环境执法局", "bureau", None),
    ("hps", "环境影响评价与排放管理司", "bureau", None),
    ("dqs-zhc", "大气环境司综合处", "division", "dqs"),
    ("zfj-dcc", "生态环境执法局督察执法处", "division", "zfj"),
    ("hss-yxc", "核设施安全监管司运行安全处", "division", "hss"),
    ("jczz", "中国环境监测总站", "subordinate", None),
)
# Fictional people: the demo never names real officials.
POSTS = (
    ("林正国", "head", "部长、部党组书记", "party-group", date(2023, 3, 1)),
    ("吴海峰", "leadership", "副部长、部党组成员", "party-group", date(2022, 6, 1)),
    ("郑晓岚", "leadership", "副部长、部党组成员", "party-group", date(2024, 1, 15)),
    ("高建民", "department_head", "大气环境司司长", "dqs", date(2021, 9, 1)),
    ("冯立", "department_head", "生态环境执法局局长", "zfj", date(2022, 3, 1)),
    ("周亚平", "discipline_secretary", "机关纪委书记", "party-group", date(2023, 7, 1)),
    ("许文", "discipline_member", "机关纪委委员", "party-group", date(2023, 7, 1)),
    ("何静", "branch_discipline_member", "支部纪检委员", "dqs", date(2024, 2, 1)),
    ("罗斌", "branch_discipline_member", "支部纪检委员", "zfj", date(2024, 2, 1)),
    ("唐敏", "branch_discipline_member", "支部纪检委员", "hss", date(2024, 2, 1)),
)


def _at(demo: Any, day: date, hour: int = 2) -> None:
    moment = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
    if moment > demo.clock.now():
        demo.clock.set(moment)


def _roster(demo: Any, app: Any) -> dict[str, str]:
    with demo.acting("zhang.wei"):
        app.register_unit(group_id=GROUP, unit_id=UNIT, name="生态环境部", party_group_name="生态环境部党组")
        for department_id, name, kind, parent in DEPARTMENTS:
            app.add_department(unit_id=UNIT, department_id=department_id, name=name, kind=kind, parent_id=parent,
                               since=date(2018, 4, 16))
        posts = {}
        for person, kind, title, department, since in POSTS:
            posts[person] = app.appoint_person(unit_id=UNIT, person_name=person, post_kind=kind, title=title,
                                               department_id=department, since=since)["post_id"]
    with demo.acting("li.na"):
        for bureau in ("dqs", "zfj", "hss", "sst", "hps", "bgt"):
            app.assign_counterpart(unit_id=UNIT, counterpart_id=bureau, member="wang.qiang",
                                   member_role="group_deputy")
        for division in ("dqs-zhc", "zfj-dcc", "hss-yxc"):
            app.assign_counterpart(unit_id=UNIT, counterpart_id=division, member="zhang.wei",
                                   member_role="group_staff")
        app.assign_counterpart(unit_id=UNIT, counterpart_id="jczz", member="zhou.min", member_role="group_staff")
    return posts


def _first_half(demo: Any, app: Any) -> None:
    _at(demo, date(2025, 1, 8))
    with demo.acting("zhao.unit"):
        app.notify_directive(unit_id=UNIT, title="关于深入打好污染防治攻坚战的意见（落实要求）",
                             reference_number="中办发〔2025〕3号", issuer="中共中央办公厅",
                             issued_on=date(2025, 1, 3), received_on=date(2025, 1, 6), lead_department="大气环境司")
        app.notify_directive(unit_id=UNIT, title="关于加强核安全监管工作的重要批示",
                             reference_number="批〔2025〕7号", issuer="党中央", issued_on=date(2025, 1, 5),
                             received_on=date(2025, 1, 7), lead_department="核设施安全监管司")
    _at(demo, date(2025, 2, 10))
    with demo.acting("wang.qiang"):
        scheduling = app.issue_request(unit_id=UNIT, kind="directive_relay",
                                       title="关于传达落实污染防治攻坚战部署要求的通知",
                                       body="请于2月底前报送学习传达、作出部署情况。", counterpart_id="dqs",
                                       deadline=date(2025, 2, 28))
    _at(demo, date(2025, 2, 20))
    with demo.acting("zhao.unit"):
        app.acknowledge_item(item_id=scheduling["item_id"])
        app.reply_to_outbound(item_id=scheduling["item_id"], title="大气环境司关于落实进展的报告",
                              summary="已召开司务会传达学习，制定工作方案，明确责任分工。", period="2025-02")
    _at(demo, date(2025, 3, 28))
    with demo.acting("zhao.unit"):
        app.submit_supervision_report(unit_id=UNIT, title="2025年第一季度督查专报", period="2025Q1", items=[
            {"reference_number": "中办发〔2025〕3号", "title": "关于深入打好污染防治攻坚战的意见", "status": "in_progress"},
            {"reference_number": "批〔2025〕7号", "title": "关于加强核安全监管工作的重要批示", "status": "in_progress"},
        ])
        app.report_power_matter(unit_id=UNIT, category="large_fund", title="大气污染防治资金项目库年度安排",
                                department_id="dqs", decided_on=date(2025, 3, 25), amount_yuan=850_000_000)
    _at(demo, date(2025, 4, 2))
    with demo.acting("li.na"):
        app.observe_power_matter(unit_id=UNIT, category="cadre_appointment", title="部分司局级干部任免",
                                 department_id="party-group", decided_on=date(2025, 4, 2),
                                 meeting="部党组会议（2025年第8次）", note="任免程序完整，会前已征求驻部纪检监察组廉政意见。")
    with demo.acting("zhang.wei"):
        app.revise_power_list(unit_id=UNIT, department_id="zfj", reason="年度梳理", powers=[
            {"name": "生态环境行政处罚", "basis": "《环境保护法》", "boundary": "按法定权限和程序，适用裁量基准"},
            {"name": "执法检查计划制定", "basis": "部门职责", "boundary": "随机抽查为主，重点检查须报备"},
        ])
        app.record_risk_point(unit_id=UNIT, department_id="zfj", power="生态环境行政处罚",
                              description="自由裁量空间大，存在说情打招呼风险", level="high",
                              controls="裁量基准、集体审议、插手干预登记")


def _feedback_deliberation(demo: Any, app: Any) -> str:
    _at(demo, date(2025, 4, 15))
    with demo.acting("zhang.wei"):
        draft = app.draft_feedback(
            unit_id=UNIT, title="关于中央生态环境保护督察整改落实情况的反馈意见", counterpart_id="party-group",
            body="一、部分整改任务推进迟缓，存在以文件落实文件的情况；二、个别司局对督察整改责任认识不到位；"
                 "三、建议建立整改台账，逐项明确时限和责任人，定期向部党组报告。",
            deadline=date(2025, 6, 30), important=True)
        app.record_opinion(draft_id=draft["draft_id"], stance="agree", text="")
    with demo.acting("zhou.min"):
        app.record_opinion(draft_id=draft["draft_id"], stance="amend", text="建议补充黄河流域问题整改的具体情况")
    with demo.acting("zhang.wei"):
        app.revise_feedback(draft_id=draft["draft_id"], important=True, reason="吸收集体研判意见",
                            body="一、部分整改任务推进迟缓，黄河流域生态环境突出问题整改存在以文件落实文件的情况；"
                                 "二、个别司局对督察整改责任认识不到位；三、建议建立整改台账，逐项明确时限和责任人。")
        app.record_opinion(draft_id=draft["draft_id"], stance="agree", text="")
    with demo.acting("wang.qiang"):
        app.record_opinion(draft_id=draft["draft_id"], stance="agree", text="")
    _at(demo, date(2025, 4, 18))
    with demo.acting("li.na"):
        app.decide_feedback(draft_id=draft["draft_id"], decision="approve", note="组务会研究同意印发")
        issued = app.issue_feedback(draft_id=draft["draft_id"], reference_number="驻部纪检监察组〔2025〕5号")
    _at(demo, date(2025, 4, 21))
    with demo.acting("ma.party"):
        app.acknowledge_item(item_id=issued["item_id"])
    return str(issued["item_id"])


def _second_half(demo: Any, app: Any, feedback_item_id: str) -> None:
    _at(demo, date(2025, 5, 12))
    with demo.acting("zhang.wei"):
        request = app.issue_request(unit_id=UNIT, kind="document_request", title="调阅执法检查计划报备资料",
                                    body="请提供2024年以来重点执法检查计划及报备记录。", counterpart_id="zfj-dcc",
                                    deadline=date(2025, 5, 30))
    with demo.acting("zhao.unit"):
        note = "2024年重点执法检查计划报备记录（摘要）".encode()
        meta = app.upload_attachment(filename="报备记录.txt", content_base64=base64.b64encode(note).decode())
        app.acknowledge_item(item_id=request["item_id"])
        app.reply_to_outbound(item_id=request["item_id"], title="督察执法处资料报送", summary="已报送报备记录。",
                              completed=True, attachments=[{"sha256": meta["sha256"], "filename": "报备记录.txt"}])
    _at(demo, date(2025, 6, 5))
    with demo.acting("li.na"):
        app.hold_consultation(unit_id=UNIT, kind="regular", held_on=date(2025, 6, 5),
                              participants=["李娜", "林正国", "周亚平"], topics=["上半年全面从严治党形势", "督察整改"],
                              minutes="双方通报上半年情况，商定完善三重一大事项报备。",
                              actions=[{"text": "修订三重一大事项报备办法", "owner": "办公厅", "due": date(2025, 8, 31)}])
        upward = app.submit_upward(group_id=GROUP, unit_id=UNIT, kind="request",
                                   title="关于对生态环境执法领域开展专项监督的请示",
                                   body="拟对执法领域廉政风险开展专项监督，妥否，请批示。")
    with demo.acting("chen.hq"):
        app.reply_upward(upward_id=upward["upward_id"], reply="同意，请加强与机关纪委的协同。")
    with demo.acting("zhao.unit"):
        app.submit_situation_notice(unit_id=UNIT, title="关于某直属单位发生安全生产事件的通报", category="突发事件",
                                    summary="已启动调查，将及时报告进展。", occurred_on=date(2025, 6, 3))
    _at(demo, date(2025, 6, 20))
    with demo.acting("zhao.unit"):
        app.reply_to_outbound(item_id=feedback_item_id, title="关于反馈意见整改落实情况的报告",
                              summary="已建立督察整改台账，明确责任司局和时限，黄河流域问题整改已完成阶段任务。",
                              completed=True)
    _at(demo, date(2025, 9, 15))
    with demo.acting("wang.qiang"):
        app.issue_request(unit_id=UNIT, kind="directive_relay", title="关于传达核安全监管重点任务部署要求的通知",
                          body="请报送三季度核安全监管重点任务传达落实情况。", counterpart_id="hss",
                          deadline=date(2025, 9, 30))
    _at(demo, date(2025, 10, 9))
    with demo.acting("zhang.wei"):
        app.record_overdue()  # the hss relay was not answered in time
    _at(demo, date(2025, 12, 10))
    with demo.acting("zhao.unit"):
        app.submit_democratic_evaluation(unit_id=UNIT, title="2025年度司局级干部民主测评结果", cadre="高建民",
                                         post="大气环境司司长", year=2025, grade="good")
        app.submit_duty_integrity_report(unit_id=UNIT, title="2025年度述责述廉报告", cadre="冯立",
                                         post="生态环境执法局局长", year=2025, summary="本年度履行一岗双责情况……")
        app.reply_integrity_opinion(unit_id=UNIT, title="廉政意见回函", cadre="何静", request_ref="部人事司函〔2025〕41号",
                                    opinion="no_objection")
    with demo.acting("li.na"):
        app.announce_joint_supervision(unit_id=UNIT, title="关于开展执法领域联合监督的通报",
                                       body="驻部纪检监察组与部机关纪委联合开展执法领域专项监督，发现问题已交办整改。")


def _supervising_people(demo: Any, app: Any) -> None:
    """既监督事也监督人: important posts and fields, a key person, the leaders' evaluations of the year (作风 included)
    and an integrity-opinion request answered by the ministry (廉政意见)."""
    _at(demo, date(2025, 12, 15))
    with demo.acting("zhang.wei"):
        people = {p["person_name"]: p["person_id"] for p in app.get_unit(UNIT)["posts"]}
        for department, field in (("zfj", "inspection_enforcement"), ("hss", "nuclear_safety"),
                                  ("hps", "impact_assessment"), ("jczz", "environmental_monitoring")):
            app.set_important_fields(unit_id=UNIT, target="department", target_id=department, important_fields=[field])
        app.flag_key_person(unit_id=UNIT, person_id=people["冯立"], flagged=True,
                            reason="分管督察执法，执法领域廉政风险点多，列为重点人")
    with demo.acting("li.na"):
        app.evaluate_leader(unit_id=UNIT, person_id=people["林正国"], period="2025",
                            aspects={"political_stance": "excellent", "leads_in_person": "good",
                                     "real_implementation": "good", "work_style": "good"},
                            overall="good", observation="参加部党组会12次；督察整改亲自部署、带队调研，会议决策程序规范。")
        app.evaluate_leader(unit_id=UNIT, person_id=people["冯立"], period="2025",
                            aspects={"duty_and_responsibility": "fair", "work_style": "fair", "integrity": "good"},
                            overall="fair", observation="执法检查计划报备不及时；谈心谈话中对整改要求认识不足。")
        request = app.request_integrity_opinion(
            unit_id=UNIT, person_id=people["高建民"], purpose="selection_appointment",
            title="关于征求高建民同志廉政意见的函", body="拟提拔任用，请部党组就其廉洁自律情况提出意见。",
            counterpart_id="party-group", deadline=date(2025, 12, 31), reference_number="驻部纪检监察组函〔2025〕12号")
    _at(demo, date(2025, 12, 22))
    with demo.acting("zhao.unit"):
        app.acknowledge_item(item_id=request["item_id"])
        app.reply_integrity_opinion(unit_id=UNIT, item_id=request["item_id"], title="关于高建民同志廉政意见的回函",
                                    cadre="高建民", request_ref="驻部纪检监察组函〔2025〕12号", opinion="no_objection")


def seed(demo: Any) -> None:
    """The ministry's roster and a year of traffic with the resident group."""
    app = demo.app("units")
    _roster(demo, app)
    _first_half(demo, app)
    feedback_item_id = _feedback_deliberation(demo, app)
    _second_half(demo, app, feedback_item_id)
    _supervising_people(demo, app)
    supervision.seed_units(demo, app)
