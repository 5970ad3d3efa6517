"""Who is who: the membership the gateway builds principals from, and the built-in accounts' seed data.

Membership comes from one place: the `membership` read model (the units roster and the account events).
`ORGS` and `ACCOUNTS` are seed data only: the demo scenario and the embedded platform record them through the
units service's membership commands; the passwords of the built-in accounts exist in embedded mode only (and
in distributed mode only where a setting enables them). `SeedMembership` answers from the seed data directly,
for tests that run the gateway without read models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from projections.membership.view import Member
from projections.membership.view import Organisation as OrgView

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


class MembershipSource(Protocol):
    """What the gateway asks about membership (the read model's view answers it)."""

    def organisation(self, org_id: str) -> OrgView | None: ...

    def organisations(self, org_ids: Iterable[str]) -> dict[str, OrgView]: ...

    def member(self, user_id: str, org_id: str) -> Member | None: ...

    def membership(self, user_id: str, org_id: str) -> tuple[Member, OrgView] | None: ...

    def memberships(self, user_id: str) -> list[Member]: ...

    def members_of(self, org_id: str) -> list[Member]: ...

    def people(self, users: Iterable[str], prefer_org: str | None = None) -> dict[str, tuple[Member, OrgView]]: ...


class SeedMembership:
    """The seed data as a membership source: for a gateway run without read models (tests of other parts)."""

    def organisation(self, org_id: str) -> OrgView | None:
        org = ORGS.get(org_id)
        return None if org is None else OrgView(org.org_id, org.kind, org.name, org.name_en, org.supervises)

    def organisations(self, org_ids: Iterable[str]) -> dict[str, OrgView]:
        return {org.org_id: org for org in map(self.organisation, dict.fromkeys(org_ids)) if org is not None}

    def member(self, user_id: str, org_id: str) -> Member | None:
        account = ACCOUNTS.get(user_id)
        if account is None or account.org_id != org_id:
            return None
        return Member(account.user_id, account.name, account.org_id, account.roles)

    def membership(self, user_id: str, org_id: str) -> tuple[Member, OrgView] | None:
        member, org = self.member(user_id, org_id), self.organisation(org_id)
        return (member, org) if member and org else None

    def memberships(self, user_id: str) -> list[Member]:
        account = ACCOUNTS.get(user_id)
        return [] if account is None else [Member(account.user_id, account.name, account.org_id, account.roles)]

    def members_of(self, org_id: str) -> list[Member]:
        return [Member(a.user_id, a.name, a.org_id, a.roles) for a in ACCOUNTS.values() if a.org_id == org_id]

    def people(self, users: Iterable[str], prefer_org: str | None = None) -> dict[str, tuple[Member, OrgView]]:
        found = {}
        for user in dict.fromkeys(users):
            member = next(iter(self.memberships(user)), None)
            org = self.organisation(member.org_id) if member else None
            if member is not None and org is not None:
                found[user] = (member, org)
        return found
