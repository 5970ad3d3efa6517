"""Demo clues of the group resident in the Ministry of Ecology and Environment: one clue in every state.

All subjects are fictional. Clues are registered by staff (zhang.wei, zhou.min) and decided by the group
leader (li.na); a letter inquiry is left unanswered so that it becomes overdue; one clue is shared in part
with the unit's discipline committee (zhao.unit); two recommendations are issued to the unit.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.common import clock

GROUP, UNIT = "group-mee", "unit-mee"

CLUES: tuple[dict[str, Any], ...] = (
    # key, registrar, subject, unit, post, key person, categories, summary
    {"key": "registered", "by": "zhang.wei", "name": "柯文涛", "unit": "大气环境司", "post": "处长",
     "key_person": False, "categories": ["work"],
     "summary": "群众来信反映其在重污染天气应急督导中搞形式主义，督导报告照抄地方材料"},
    {"key": "proposed", "by": "zhou.min", "name": "卢佳音", "unit": "水生态环境司", "post": "副处长",
     "key_person": False, "categories": ["integrity"],
     "summary": "反映其接受长江沿线废矿物油整治项目承接企业宴请"},
    {"key": "inquiry_overdue", "by": "zhang.wei", "name": "范立群", "unit": "环境影响评价司", "post": "副司长",
     "key_person": False, "categories": ["integrity", "duty_illegality"],
     "summary": "反映其在规划环评审查中为特定企业打招呼，并收受购物卡"},
    {"key": "verifying", "by": "zhou.min", "name": "秦海川", "unit": "生态环境执法局", "post": "二级巡视员",
     "key_person": False, "categories": ["work", "mass"],
     "summary": "反映其在黄河流域生态环境突出问题整治执法检查中对群众投诉敷衍塞责"},
    {"key": "held", "by": "zhang.wei", "name": "邵明哲", "unit": "核电安全监管司", "post": "处长",
     "key_person": False, "categories": ["organisational"],
     "summary": "匿名反映其个人有关事项报告不实，线索较笼统、暂不具备核查条件"},
    {"key": "responded", "by": "zhou.min", "name": "温雅琴", "unit": "自然生态保护司", "post": "副处长",
     "key_person": False, "categories": ["life"],
     "summary": "反映其违规使用公务用车接送家属"},
    {"key": "case_filed", "by": "zhang.wei", "name": "韩志远", "unit": "固体废物与化学品司", "post": "原处长",
     "key_person": False, "categories": ["integrity", "duty_illegality"],
     "summary": "审计移交：危险废物经营许可审查中涉嫌收受企业好处费"},
    {"key": "closed", "by": "zhou.min", "name": "钟可馨", "unit": "办公厅", "post": "主任科员",
     "key_person": False, "categories": ["work"],
     "summary": "反映其值班期间脱岗，经了解系因公外出且有记录"},
    {"key": "reopened", "by": "zhang.wei", "name": "梁景行", "unit": "土壤生态环境司", "post": "处长",
     "key_person": False, "categories": ["integrity"],
     "summary": "反映其在土壤污染防治资金分配中优亲厚友，曾了结后出现新的举报材料"},
    {"key": "key_person", "by": "zhang.wei", "name": "欧阳致远", "unit": "部领导班子", "post": "党组成员、副部长",
     "key_person": True, "categories": ["political", "integrity"],
     "summary": "上级交办：反映其分管领域重大项目审批中违规干预，涉及执行民主集中制问题"},
    {"key": "joint", "by": "zhou.min", "name": "褚天宇", "unit": "机关服务中心", "post": "科长",
     "key_person": False, "categories": ["integrity"],
     "summary": "反映其在食堂采购中收受供应商回扣，与机关纪委联合排查"},
)

SOURCES = {"case_filed": "audit_referral", "key_person": "assignment", "verifying": "supervision_finding"}
PROPOSALS = {
    "proposed": "inquiry", "inquiry_overdue": "inquiry", "verifying": "preliminary_verification",
    "held": "hold", "responded": "inquiry", "case_filed": "preliminary_verification", "closed": "close",
    "reopened": "close", "key_person": "preliminary_verification",
}


def _advance(demo: Any, days: int) -> date:
    demo.clock.advance(timedelta(days=days))
    return clock.today(demo.clock)


def _register(demo: Any, app: Any, clue: dict[str, Any], received_on: date) -> str:
    with demo.acting(clue["by"]):
        result = app.register_clue(
            group_id=GROUP, unit_id=UNIT, source=SOURCES.get(clue["key"], "petition"),
            subject_name=clue["name"], subject_unit=clue["unit"], subject_post=clue["post"],
            key_person=clue["key_person"], categories=clue["categories"], summary=clue["summary"],
            leader="li.na", assigned=["zhou.min" if clue["by"] == "zhang.wei" else "zhang.wei"],
            received_on=received_on,
            documents=[{"title": "举报材料", "reference": f"驻部组信访〔{received_on.year}〕{len(clue['key'])}号",
                        "sha256": hashlib.sha256(clue["summary"].encode("utf-8")).hexdigest()}],
        )
    return str(result["clue_id"])


def _assess_and_propose(demo: Any, app: Any, clue: dict[str, Any], clue_id: str) -> None:
    with demo.acting(clue["by"]):
        app.note_assessment(
            clue_id,
            "首先从政治上观察：是否影响党中央决策部署在生态环境领域落实，是否反映所在部门政治生态问题",
            "反映问题具体程度、可查性及与以往线索的关联",
        )
        app.record_screening(
            clue_id, clock.today(demo.clock),
            [{"user": "li.na", "conclusion": "同意承办人意见"}, {"user": "wang.qiang", "conclusion": "同意"},
             {"user": "zhang.wei", "conclusion": "建议按拟定方式处置"}],
            "集体排查：按拟定方式处置",
        )
        app.propose_disposition(clue_id, PROPOSALS[clue["key"]], "依据线索反映问题的性质和可查性提出")


def seed(demo: Any) -> None:
    app = demo.app("clues")
    now = demo.clock.now()
    if now < datetime(2025, 3, 10, 1, 0, tzinfo=UTC):
        demo.clock.set(datetime(2025, 3, 10, 1, 0, tzinfo=UTC))
    received = clock.today(demo.clock)
    ids = {c["key"]: _register(demo, app, c, received) for c in CLUES}
    by_key = {c["key"]: c for c in CLUES}
    for key in PROPOSALS:
        _assess_and_propose(demo, app, by_key[key], ids[key])
    _advance(demo, 2)
    with demo.acting("li.na"):
        for key in PROPOSALS:
            if key != "proposed":
                app.decide_disposition(ids[key], approved=True)
        app.share_for_joint_screening(ids["joint"], ["zhao.unit"], ["allegations"],
                                      "食堂采购属机关纪委日常监督范围，联合排查")
    today = _advance(demo, 1)
    with demo.acting("zhang.wei"):
        app.record_inquiry(ids["inquiry_overdue"], "letter", today, "向本人发函，请其就反映问题作出书面说明")
        app.record_inquiry(ids["responded"], "talk", today, "谈话中本人说明系偶发情况，已补缴相关费用")
    with demo.acting("zhao.unit"):
        app.read_joint_screening(ids["joint"], "zhao.unit", "机关纪委核对采购台账")
    today = _advance(demo, 20)
    with demo.acting("zhou.min"):
        app.record_verification(ids["case_filed"], today, "初核查明收受好处费问题属实，数额较大", substantiated=True)
        app.read_clue(ids["case_filed"], "zhou.min", "起草初核报告")
    with demo.acting("li.na"):
        app.conclude_clue(ids["case_filed"], "case_filed", "经组务会集体研究，予以立案审查调查", four_forms=4)
        app.reopen_clue(ids["reopened"], "收到新的实名举报材料，反映问题与原线索相关且更为具体")
        app.read_clue(ids["key_person"], "li.na", "审批初核方案")
        rec = app.draft_recommendation(
            GROUP, UNIT, "驻部纪检监察组建议〔2025〕1号", "关于加强危险废物经营许可审批权力运行监督的建议",
            ["许可审查环节自由裁量空间大", "审查过程留痕不足"], ["制定许可审查裁量基准", "推行审查全过程记录"],
            "固体废物与化学品司", today + timedelta(days=60), source_clue_ids=[ids["case_filed"]],
        )["recommendation_id"]
        app.issue_recommendation(rec)
        done = app.draft_recommendation(
            GROUP, UNIT, "驻部纪检监察组建议〔2025〕2号", "关于规范公务用车管理的建议",
            ["公务用车使用登记不规范"], ["完善公务用车使用审批和登记制度"], "机关服务中心", today + timedelta(days=30),
        )["recommendation_id"]
        app.issue_recommendation(done)
        app.record_recommendation_response(done, "demo-rpt-1", "已修订公务用车管理办法并组织专项检查", True, today)
        app.close_recommendation(done, "查阅修订后的管理办法及专项检查记录")
    _advance(demo, 10)  # the letter of inquiry stays unanswered past its 15 working days
    app.record_overdue()
