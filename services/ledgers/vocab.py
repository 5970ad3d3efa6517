"""Controlled vocabularies of the ledgers, from the seed (精准发现问题, 精准分析研判, 四单合一)."""

from __future__ import annotations

from events.vocab import PROBLEM_TYPES as PROBLEM_TYPES

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

STAGE_LABELS = {
    "relay_study": "学习传达 (relay and study)",
    "deployment": "作出部署 (deployment)",
    "plan": "制定方案 (plan)",
    "execution": "贯彻执行 (execution)",
    "result_evaluation": "结果评估 (result evaluation)",
    "look_back_review": "回头检视 (look-back review)",
    "institution_building": "建章立制 (institution building)",
}

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
