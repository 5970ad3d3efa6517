"""Demo organisations and accounts of the embedded mode (passwords hashed at first start)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "paizhu-demo"  # noqa: S105  (documented demo password, embedded mode only)


@dataclass(frozen=True)
class Org:
    org_id: str
    kind: str
    """hq | group | inspection_team | unit | audit"""
    name: str
    name_en: str
    supervises: tuple[str, ...] = ()
    """for a group: the units it is resident in"""
    unit_id: str | None = None


@dataclass(frozen=True)
class Account:
    user_id: str
    name: str
    org_id: str
    roles: tuple[str, ...]
    department: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


ORGS: dict[str, Org] = {
    org.org_id: org
    for org in (
        Org("hq", "hq", "中央纪委国家监委机关", "Commission HQ"),
        Org("group-mee", "group", "驻生态环境部纪检监察组", "Group resident in the Ministry of Ecology and Environment",
            supervises=("unit-mee",)),
        Org("group-mwr", "group", "驻水利部纪检监察组", "Group resident in the Ministry of Water Resources",
            supervises=("unit-mwr",)),
        Org("unit-mee", "unit", "生态环境部", "Ministry of Ecology and Environment", unit_id="unit-mee"),
        Org("unit-mwr", "unit", "水利部", "Ministry of Water Resources", unit_id="unit-mwr"),
        Org("team-3", "inspection_team", "中央第三巡视组", "Central Inspection Team 3"),
        Org("audit", "audit", "案件监督管理室", "Case management office (audit)"),
    )
}

ACCOUNTS: dict[str, Account] = {
    account.user_id: account
    for account in (
        Account("li.na", "李娜", "group-mee", ("group_leader",)),
        Account("wang.qiang", "王强", "group-mee", ("group_deputy",)),
        Account("zhang.wei", "张伟", "group-mee", ("group_staff",)),
        Account("zhou.min", "周敏", "group-mee", ("group_staff",)),
        Account("zhou.other", "周涛", "group-mwr", ("group_staff",)),
        Account("he.leader2", "何军", "group-mwr", ("group_leader",)),
        Account("chen.hq", "陈静", "hq", ("hq_staff",)),
        Account("zhao.unit", "赵磊", "unit-mee", ("unit_liaison",)),
        Account("ma.party", "马骏", "unit-mee", ("unit_party_group",)),
        Account("qian.unit2", "钱鑫", "unit-mwr", ("unit_liaison",)),
        Account("liu.team", "刘洋", "team-3", ("team_leader",)),
        Account("xu.team", "徐静", "team-3", ("team_member",)),
        Account("sun.audit", "孙丽", "audit", ("auditor",)),
    )
}
