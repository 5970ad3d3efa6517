"""Vocabularies that cross the bus: a code in a published event means the same in every service."""

from __future__ import annotations

PROBLEM_TYPES: dict[str, str] = {
    "empty_statements": "空泛表态",
    "perfunctory": "敷衍塞责",
    "escalating_targets": "层层加码",
    "one_size_fits_all": "一刀切",
    "inaction": "不担当不作为",
    "disregarding_public_interest": "漠视损害群众利益",
    "abuse_of_power": "滥用职权",
    "defying_bans": "顶风违纪",
    "other": "其他",
}
"""The seed's problem typology (精准发现问题): inspections' findings carry it to the ledgers' problem list."""

CLUE_CATEGORIES: dict[str, str] = {
    "political": "政治纪律 (political discipline)",
    "organisational": "组织纪律 (organisational discipline)",
    "integrity": "廉洁纪律 (integrity discipline)",
    "mass": "群众纪律 (mass discipline)",
    "work": "工作纪律 (work discipline)",
    "life": "生活纪律 (life discipline)",
    "duty_illegality": "职务违法 (duty-related illegality)",
}
"""A clue's allegation categories: the clues service checks a clue against them; the inspections service
refuses an unknown one at the request, so a referral never fails in the clues policy."""

MIN_FEEDBACK_OPINIONS = 2
"""Feedback is deliberated (集体研判) once at least this many group members recorded an opinion on its current
revision: collective means more than the drafter (the units service's rule, and the read models' status)."""

STAGE_LABELS = {
    "relay_study": "学习传达 (relay and study)",
    "deployment": "作出部署 (deployment)",
    "plan": "制定方案 (plan)",
    "execution": "贯彻执行 (execution)",
    "result_evaluation": "结果评估 (result evaluation)",
    "look_back_review": "回头检视 (look-back review)",
    "institution_building": "建章立制 (institution building)",
}
"""The stages of carrying out a directive (全周期管理): a record of another service names the stage it concerns."""
