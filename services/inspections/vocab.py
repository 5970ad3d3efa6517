"""The inspections service's closed vocabularies: each code with its Chinese label (the single source).

The domain checks against these dicts and the interface turns each into an enum type (`vocabulary`).
"""

from __future__ import annotations

from events.vocab import PROBLEM_TYPES as PROBLEM_TYPES

REQUEST_DIRECTIONS: dict[str, str] = {
    "team_to_group": "巡视组向纪检监察组提出",
    "group_to_team": "纪检监察组向巡视组提出",
}

SIDES: dict[str, str] = {"team": "巡视组", "group": "纪检监察组"}
"""Who answers a request for information: the side it was addressed to."""

ROUND_PLANNED, ROUND_OPEN, ROUND_CLOSED = "planned", "open", "closed"
ROUND_STATUSES: dict[str, str] = {ROUND_PLANNED: "计划中", ROUND_OPEN: "进行中", ROUND_CLOSED: "已结束"}

FINDING_RECORDED, FINDING_HANDED_OVER = "recorded", "handed_over"
FINDING_STATUSES: dict[str, str] = {FINDING_RECORDED: "已记录", FINDING_HANDED_OVER: "已移交整改"}

PROGRESS_SOURCES: dict[str, str] = {"group": "纪检监察组记录", "unit": "驻在单位报告"}

ACTIVITY_KINDS: dict[str, str] = {
    "embedded": "嵌入式监督",
    "tracking": "跟踪式监督",
    "pinpoint": "点穴式监督",
    "joint": "联合监督",
    "consultation": "定期会商",
    "special": "专项督促检查",
}

METHODS: dict[str, str] = {
    "document_review": "调阅资料",
    "talk": "谈心谈话",
    "discussion": "座谈访谈",
    "phone_inquiry": "电话问询",
    "site_check": "实地检查",
    "meeting_supervision": "会议监督",
    "onsite_research": "驻点调研",
    "joint_enforcement": "参加督察执法和专项行动",
    "leader_led_research": "组领导带队调研督导",
    "consultation_meeting": "会商",
}

ALLOWED_METHODS: dict[str, frozenset[str]] = {
    "embedded": frozenset({"joint_enforcement", "site_check", "meeting_supervision", "talk"}),
    "tracking": frozenset({"document_review", "talk", "discussion", "phone_inquiry", "site_check"}),
    "pinpoint": frozenset({"leader_led_research", "onsite_research", "site_check", "talk", "document_review"}),
    "joint": frozenset(METHODS),
    "consultation": frozenset({"consultation_meeting", "discussion"}),
    "special": frozenset({"talk", "meeting_supervision", "onsite_research", "site_check"}),
}

PLANNED, UNDER_WAY, COMPLETED = "planned", "under_way", "completed"
ACTIVITY_STATUSES: dict[str, str] = {PLANNED: "计划中", UNDER_WAY: "进行中", COMPLETED: "已完成"}

FINDING_OUTCOMES: dict[str, str] = {"rectification_item": "移交整改", "clue": "移送问题线索"}
