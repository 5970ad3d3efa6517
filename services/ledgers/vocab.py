"""Controlled vocabularies of the ledgers, from the seed (精准发现问题, 精准分析研判, 四单合一)."""

from __future__ import annotations

from enum import StrEnum

from events.vocab import PROBLEM_TYPES as PROBLEM_TYPES
from events.vocab import STAGE_LABELS as STAGE_LABELS

LIST_KINDS = {
    "task": "任务清单 (tasks)",
    "responsibility": "责任清单 (responsibilities)",
    "problem": "问题清单 (problems)",
    "implementation": "落实清单 (implementation records)",
}


ROOT_CAUSES = {
    "political_stance": "政治站位不高",
    "capability_and_conduct": "能力作风不硬",
    "insufficient_responsibility": "履职担当不足",
    "weak_institutions": "制度机制不健全",
}

ECOLOGY_JUDGEMENTS = {
    "individual": "个别干部的表现 (an individual's conduct)",
    "political_ecology": "单位政治生态受到污染 (the unit's political ecology is polluted)",
}

EVALUATION_DIMENSIONS = {
    "understanding": "思想认识",
    "goal_setting": "目标定位",
    "responsibility": "责任落实",
    "drive": "精神状态",
}
SCORE_MIN, SCORE_MAX = 1, 5
"""1 差 poor, 2 较差, 3 一般 fair, 4 较好, 5 好 good."""

REPORTED_STATUSES = ("not_started", "in_progress", "completed")
"""The unit's supervision report statuses (events.units.ReportedItem); the ledger speaks the same
(labelled in REPORTED_STATUS_LABELS)."""

DEMO_CATEGORIES = (
    ("pollution_prevention", "污染防治攻坚战落实情况", 90),
    ("nuclear_safety", "核安全监管工作", 60),
    ("central_inspection", "中央生态环境保护督察", 90),
    ("river_basins", "长江黄河流域生态保护", 120),
    ("carbon_peaking", "碳达峰碳中和", 180),
)
"""(code, name, look-back interval in calendar days): the five detail-ledger categories of seed 002."""


DEADLINE_BASES = {
    "calendar": "自然日 (calendar days)",
    "working": "工作日 (working days, the State Council's calendar)",
}

REPORTED_STATUS_LABELS = {
    "not_started": "未启动 (not started)",
    "in_progress": "推进中 (in progress)",
    "completed": "已完成 (completed)",
}
"""A directive's status in the ledger and in the unit's report (REPORTED_STATUSES, labelled)."""

ITEM_STATUSES = {
    "open": "待办 (open)",
    "in_progress": "办理中 (in progress)",
    "done": "已办结待销号 (done, awaiting closure)",
    "closed": "已销号 (closed)",
}
"""done = the unit reports it finished; closed = 销号 approved by the group with evidence."""

PROGRESS_STATUSES = {code: label for code, label in ITEM_STATUSES.items() if code != "closed"}
"""What progress may set (closing is 销号, its own command)."""

ITEM_SOURCES = {
    "group": "督导组登记 (recorded by the group)",
    "notification": "单位通报 (the unit's notification)",
    "inspection": "巡视整改 (an inspection's rectification item)",
    "clue": "纪检监察建议 (a supervision recommendation)",
    "import": "导入 (imported)",
}

LOOK_BACK_CHECKS = {
    "similar_matters": "举一反三情况 (similar matters fixed as well)",
    "rule_building": "制度机制建设情况 (rules and institutions built)",
    "quality": "抓落实提质效情况 (quality and effect of the implementation)",
}
"""What the look-back on the unit checks, each a finding of its own (seed 002: 重点检查举一反三情况、
制度机制建设情况、抓落实提质效情况)."""

LOOK_BACK_FINDINGS = {
    "adequate": "到位 (adequate)",
    "inadequate": "不到位 (inadequate)",
    "not_applicable": "不涉及 (not applicable)",
}

DEVIATIONS = {
    "biased": "偏向 (biased)",
    "workaround": "变通 (worked around)",
    "discounted": "打折扣 (carried out at a discount)",
}
"""How the implementation departs from the directive (seed 002: 判断是否偏向、变通、打折扣)."""

GAPS = {
    "shortfall": "落差 (shortfall against the requirement)",
    "lukewarm": "温差 (lukewarm: less urgency than required)",
    "deviation": "偏差 (deviation from the direction)",
}
"""What the check against the directive finds (seed 002: 检视贯彻落实中存在的落差温差偏差)."""

OBSTACLES = {
    "blockage": "堵点 (blockage)",
    "backlog": "淤点 (backlog)",
    "difficulty": "难点 (difficulty)",
}
"""Where implementation gets stuck (seed 002: 查找堵点淤点难点; 找到落实过程中的难点堵点)."""

CLOSURE_EVIDENCE_KINDS = {
    "file": "已上传文件 (an uploaded, content-addressed file: sha256:<64 hex>)",
    "submission": "单位报送 (a unit submission: submission:<id>, or units:report:<id> of a rectification report)",
}


class FirstAgendaOutcome(StrEnum):
    """第一议题: how the unit's party group studied a directive (services/ledgers/first_agenda.py)."""

    in_time = "in_time"
    late = "late"
    missed = "missed"


FIRST_AGENDA_OUTCOME_LABELS = {
    FirstAgendaOutcome.in_time: "作为第一议题按时学习 (studied as the first agenda item in time)",
    FirstAgendaOutcome.late: "作为第一议题学习但超过时限 (studied as the first agenda item, late)",
    FirstAgendaOutcome.missed: "未作为第一议题学习 (not studied as the first agenda item)",
}
