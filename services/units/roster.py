"""The unit roster: departments, key persons in their posts, and the three-level supervision network."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from events.units import legacy_person_id
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError, NotFoundError

PARTY_GROUP_ID = "party-group"
"""The counterpart id of the unit's party leadership group (党组)."""

DEPARTMENT_KINDS = {
    "party_group": "党组 (party leadership group)",
    "bureau": "司局 (bureau)",
    "division": "处室 (division)",
    "subordinate": "直属单位 (subordinate body)",
}

POST_KINDS = {
    "head": "主要负责人 (head)",
    "leadership": "领导班子成员 (leadership team)",
    "department_head": "部门负责人 (department head)",
    "discipline_secretary": "机关纪委书记 (organ discipline committee secretary)",
    "discipline_member": "机关纪委委员 (organ discipline committee member)",
    "branch_discipline_member": "支部纪检委员 (branch discipline member)",
}
ADDABLE_DEPARTMENT_KINDS = {k: v for k, v in DEPARTMENT_KINDS.items() if k != "party_group"}
"""The kinds a department added to the roster may have (the party group exists from registration)."""
NETWORK_POST_KINDS = ("discipline_secretary", "discipline_member", "branch_discipline_member")
SINGLE_HOLDER_KINDS = ("head", "discipline_secretary")
KEY_MINORITY_KINDS = ("head", "leadership")
"""关键少数: the 一把手 and the leadership team (seed 000 紧盯“关键少数”)."""
LEADER_POST_KINDS = ("head", "leadership", "department_head")
"""The unit's responsible leaders the group evaluates (既监督事也监督人)."""
IMPORTANT_FIELDS = {
    "environmental_monitoring": "生态环境监测 (environmental monitoring)",
    "impact_assessment": "环境影响评价 (environmental impact assessment)",
    "inspection_enforcement": "督察执法 (inspection and enforcement)",
    "nuclear_safety": "核安全监管 (nuclear safety regulation)",
    "funds_and_projects": "资金项目 (funds and projects)",
    "approval_licensing": "审批许可 (approvals and licensing)",
}
"""重要岗位、重点领域 (seed 002: 聚焦监测环评、督察执法、核安全监管等重要岗位、重点领域)."""
IMPORTANT_TARGETS = ("department", "post")

UNIT_NAMESPACE = uuid.UUID("0b5b0a2c-7d0e-4f55-a3b1-756e69747321")


RosterError = ConflictError.kind("RosterError", "roster_conflict")


def _required(value: str, label: str, code: str) -> str:
    if not (value or "").strip():
        raise InvalidInputError(f"{label}不能为空 ({code.replace('_', ' ')})", code=code)
    return value.strip()


class Unit(ChainedAggregate):
    """A supervised unit as the group knows it; every change is an event, so its history is kept."""

    default_distribution = "unit"

    @staticmethod
    def create_id(unit_id: str) -> uuid.UUID:
        return uuid.uuid5(UNIT_NAMESPACE, f"unit:{unit_id}")

    @classmethod
    def register(cls, group_id: str, unit_id: str, name: str, party_group_name: str) -> Unit:
        """A newly registered unit (with its party group as the first counterpart)."""
        cls._check_registration(name, party_group_name)
        return cls(group_id=group_id, unit_id=unit_id, name=name.strip(), party_group_name=party_group_name.strip())

    @event("Registered")
    def __init__(self, group_id: str, unit_id: str, name: str, party_group_name: str) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.name = name
        self.departments: dict[str, dict[str, Any]] = {
            PARTY_GROUP_ID: {
                "department_id": PARTY_GROUP_ID,
                "name": party_group_name,
                "kind": "party_group",
                "parent_id": None,
                "active": True,
                "since": None,
                "until": None,
            }
        }
        self.posts: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _check_registration(name: str, party_group_name: str) -> None:
        _required(name, "单位名称", "name_required")
        _required(party_group_name, "党组名称", "party_group_name_required")

    # -- departments ------------------------------------------------------------------------
    def department(self, department_id: str) -> dict[str, Any]:
        found = self.departments.get(department_id)
        if found is None:
            raise NotFoundError(f"部门不存在 (department not found): {department_id}", code="department_not_found")
        return found

    def department_by_name(self, name: str) -> dict[str, Any] | None:
        for department in self.departments.values():
            if department["active"] and department["name"] == name.strip():
                return department
        return None

    def level_of(self, department_id: str) -> str:
        """The counterpart level of a department: party_group, bureau, division or subordinate."""
        department = self.department(department_id)
        if not department["active"]:
            raise RosterError(
                f"部门已撤销 (department dissolved): {department['name']}", code="department_dissolved"
            )
        return str(department["kind"])

    def add_department(
        self, department_id: str, name: str, kind: str, parent_id: str | None, since: date
    ) -> None:
        self._check_department(department_id, name, kind, parent_id)
        self._department_added(department_id=department_id.strip(), name=name.strip(), kind=kind,
                               parent_id=parent_id or None, since=since)

    def _check_department(self, department_id: str, name: str, kind: str, parent_id: str | None) -> None:
        _required(department_id, "部门编号", "department_id_required")
        _required(name, "部门名称", "department_name_required")
        if department_id in self.departments:
            raise RosterError(f"部门编号已存在 (department id exists): {department_id}", code="department_exists")
        if kind not in DEPARTMENT_KINDS or kind == "party_group":
            raise InvalidInputError(
                f"部门类型须为司局、处室或直属单位 (kind must be bureau, division or subordinate): {kind}",
                code="unknown_department_kind",
            )
        if self.department_by_name(name) is not None:
            raise RosterError(f"部门名称重复 (department name exists): {name}", code="department_name_exists")
        if kind == "division":
            if not parent_id:
                raise InvalidInputError("处室须属于一个司局 (a division needs a parent bureau)", code="parent_required")
            parent = self.department(parent_id)
            if parent["kind"] != "bureau" or not parent["active"]:
                raise InvalidInputError(
                    "处室的上级须为在设的司局 (a division's parent must be an active bureau)", code="parent_invalid"
                )
        elif parent_id:
            parent = self.department(parent_id)
            if not parent["active"]:
                raise InvalidInputError("上级部门已撤销 (parent dissolved)", code="parent_invalid")

    @event("DepartmentAdded")
    def _department_added(self, department_id: str, name: str, kind: str, parent_id: str | None, since: date) -> None:
        self.departments[department_id] = {
            "department_id": department_id,
            "name": name,
            "kind": kind,
            "parent_id": parent_id,
            "active": True,
            "since": since,
            "until": None,
        }

    def rename_department(self, department_id: str, new_name: str, on: date) -> None:
        self._check_rename(department_id, new_name)
        self._department_renamed(department_id=department_id, new_name=new_name.strip(), on=on)

    def _check_rename(self, department_id: str, new_name: str) -> None:
        department = self.department(department_id)
        _required(new_name, "部门名称", "department_name_required")
        if not department["active"]:
            raise RosterError("部门已撤销 (department dissolved)", code="department_dissolved")
        other = self.department_by_name(new_name)
        if other is not None and other["department_id"] != department_id:
            raise RosterError(f"部门名称重复 (department name exists): {new_name}", code="department_name_exists")

    @event("DepartmentRenamed")
    def _department_renamed(self, department_id: str, new_name: str, on: date) -> None:
        self.departments[department_id]["name"] = new_name

    def dissolve_department(self, department_id: str, on: date) -> None:
        self._check_dissolve(department_id)
        self._department_dissolved(department_id=department_id, on=on)

    def _check_dissolve(self, department_id: str) -> None:
        department = self.department(department_id)
        if department_id == PARTY_GROUP_ID:
            raise RosterError("党组不能撤销 (the party group cannot be dissolved)", code="party_group_permanent")
        if not department["active"]:
            raise RosterError("部门已撤销 (department already dissolved)", code="department_dissolved")
        children = [d["name"] for d in self.departments.values() if d["parent_id"] == department_id and d["active"]]
        if children:
            raise RosterError(
                f"须先撤销下属部门 (dissolve its divisions first): {', '.join(children)}", code="department_has_children"
            )
        holders = [p["person_name"] for p in self.current_posts() if p["department_id"] == department_id]
        if holders:
            raise RosterError(
                f"须先办理人员离任 (persons still in post): {', '.join(holders)}", code="department_has_posts"
            )

    @event("DepartmentDissolved")
    def _department_dissolved(self, department_id: str, on: date) -> None:
        self.departments[department_id]["active"] = False
        self.departments[department_id]["until"] = on

    # -- posts: key persons and the three-level network ---------------------------------------
    def current_posts(self) -> list[dict[str, Any]]:
        return [p for p in self.posts.values() if p["left_on"] is None]

    def appoint(
        self, post_id: str, person_name: str, post_kind: str, title: str, department_id: str, since: date,
        note: str | None, person_id: str | None = None, new_person_id: str | None = None,
    ) -> str:
        """Appoint a person: one already on the roster (`person_id`) or a new one (`new_person_id`); their id."""
        person = self._check_person(person_id, person_name) if person_id else (new_person_id or str(uuid.uuid4()))
        self._check_appointment(post_id, person_name, post_kind, title, department_id, since, person)
        self._person_appointed(post_id=post_id, person_name=person_name.strip(), post_kind=post_kind,
                               title=title.strip(), department_id=department_id, since=since, note=note,
                               person_id=person)
        return person

    def _check_person(self, person_id: str, person_name: str) -> str:
        known = self.person(person_id)
        if person_name.strip() and known["person_name"] != person_name.strip():
            raise InvalidInputError(
                f"人员编号与姓名不符 (person {person_id} is {known['person_name']})", code="person_name_mismatch"
            )
        return person_id

    def person_of(self, post: dict[str, Any]) -> str:
        """A post's person id (a post recorded before persons had ids: the legacy id of its name)."""
        return str(post.get("person_id") or legacy_person_id(self.unit_id, post["person_name"]))

    def persons(self) -> dict[str, dict[str, Any]]:
        """Every person the roster has known, by person id, with their posts (current and past)."""
        found: dict[str, dict[str, Any]] = {}
        for post in sorted(self.posts.values(), key=lambda p: (p["since"], p["post_id"])):
            person = found.setdefault(self.person_of(post), {
                "person_id": self.person_of(post), "person_name": post["person_name"], "posts": []})
            person["posts"].append(post)
        return found

    def person(self, person_id: str) -> dict[str, Any]:
        found = self.persons().get(person_id)
        if found is None:
            raise NotFoundError(f"人员不存在 (person not found): {person_id}", code="person_not_found")
        return found

    @staticmethod
    def is_key_minority(post: dict[str, Any]) -> bool:
        """关键少数: the head (一把手) or a member of the leadership team."""
        return post["post_kind"] in KEY_MINORITY_KINDS

    def check_leader(self, person_id: str) -> dict[str, Any]:
        """The person, if they hold (or held) a responsible leader's post: the group evaluates leaders."""
        person = self.person(person_id)
        if not any(p["post_kind"] in LEADER_POST_KINDS for p in person["posts"]):
            raise InvalidInputError(
                "只评价驻在单位负责同志（一把手、班子成员、部门负责人）(only the unit's responsible leaders are "
                "evaluated)", code="not_a_leader",
            )
        return person

    # -- important posts and fields (重要岗位、重点领域) ----------------------------------------------------
    def set_important_fields(self, target: str, target_id: str, fields: list[str], on: date) -> None:
        if target not in IMPORTANT_TARGETS:
            raise InvalidInputError(f"须为部门或岗位 (target must be department or post): {target}",
                                    code="unknown_target")
        unknown = [f for f in fields if f not in IMPORTANT_FIELDS]
        if unknown:
            raise InvalidInputError(f"未知重点领域 (unknown fields): {unknown}", code="unknown_important_field")
        record = self.department(target_id) if target == "department" else self.posts.get(target_id)
        if record is None:
            raise NotFoundError(f"任职记录不存在 (post record not found): {target_id}", code="post_not_found")
        if record.get("active") is False or record.get("left_on") is not None:
            raise RosterError("部门已撤销或人员已离任 (dissolved or left)", code="target_inactive")
        self._important_fields_set(target=target, target_id=target_id, fields=sorted(set(fields)), on=on)

    @event("ImportantFieldsSet")
    def _important_fields_set(self, target: str, target_id: str, fields: list[str], on: date) -> None:
        record = self.departments[target_id] if target == "department" else self.posts[target_id]
        record["important_fields"] = fields

    def important_fields_of(self, post: dict[str, Any]) -> list[str]:
        """A post's own fields and its department's."""
        department = self.departments.get(post["department_id"]) or {}
        return sorted(set(post.get("important_fields", [])) | set(department.get("important_fields", [])))

    def _check_appointment(
        self, post_id: str, person_name: str, post_kind: str, title: str, department_id: str, since: date,
        person_id: str,
    ) -> None:
        _required(person_name, "人员姓名", "person_name_required")
        _required(title, "职务", "post_title_required")
        if post_id in self.posts:
            raise RosterError(f"任职记录已存在 (post record exists): {post_id}", code="post_exists")
        if post_kind not in POST_KINDS:
            raise InvalidInputError(f"未知职务类型 (unknown post kind): {post_kind}", code="unknown_post_kind")
        department = self.department(department_id)
        if not department["active"]:
            raise RosterError("部门已撤销 (department dissolved)", code="department_dissolved")
        if post_kind in ("head", "leadership") and department_id != PARTY_GROUP_ID:
            raise InvalidInputError(
                "主要负责人和班子成员登记在党组下 (head and leadership posts belong to the party group)",
                code="post_department_invalid",
            )
        if post_kind == "branch_discipline_member" and department_id == PARTY_GROUP_ID:
            raise InvalidInputError(
                "支部纪检委员须登记在所在部门 (a branch discipline member belongs to a department)",
                code="post_department_invalid",
            )
        for post in self.current_posts():
            if self.person_of(post) == person_id and post["post_kind"] == post_kind and (
                post["department_id"] == department_id
            ):
                raise RosterError(f"{person_name} 已在该职 (already in this post)", code="already_in_post")
            if post_kind in SINGLE_HOLDER_KINDS and post["post_kind"] == post_kind:
                raise RosterError(
                    f"{POST_KINDS[post_kind]} 现由 {post['person_name']} 担任，须先办理离任 "
                    f"(the current holder must leave the post first)",
                    code="post_occupied",
                )

    @event("PersonAppointed")
    def _person_appointed(
        self,
        post_id: str,
        person_name: str,
        post_kind: str,
        title: str,
        department_id: str,
        since: date,
        note: str | None,
        person_id: str | None = None,
    ) -> None:
        self.posts[post_id] = {
            "person_id": person_id or legacy_person_id(self.unit_id, person_name),
            "post_id": post_id,
            "person_name": person_name,
            "post_kind": post_kind,
            "title": title,
            "department_id": department_id,
            "since": since,
            "left_on": None,
            "leave_reason": None,
            "note": note,
        }

    def _check_leave(self, post_id: str, left_on: date, reason: str) -> None:
        post = self.posts.get(post_id)
        if post is None:
            raise NotFoundError(f"任职记录不存在 (post record not found): {post_id}", code="post_not_found")
        if post["left_on"] is not None:
            raise RosterError("该任职已结束 (already left this post)", code="already_left")
        if left_on < post["since"]:
            raise InvalidInputError("离任日期早于任职日期 (left before appointed)", code="left_before_since")
        _required(reason, "离任原因", "leave_reason_required")

    def leave_post(self, post_id: str, left_on: date, reason: str) -> None:
        self._check_leave(post_id, left_on, reason)
        post = self.posts[post_id]
        self._left_post(post_id=post_id, person_name=post["person_name"], post_kind=post["post_kind"],
                        left_on=left_on, reason=reason.strip(), person_id=self.person_of(post))

    @event("PersonLeftPost")
    def _left_post(self, post_id: str, person_name: str, post_kind: str, left_on: date, reason: str,
                   person_id: str | None = None) -> None:
        self.posts[post_id]["left_on"] = left_on
        self.posts[post_id]["leave_reason"] = reason

    def network(self) -> dict[str, list[dict[str, Any]]]:
        """The unit's two levels of the three-level network, as in post today."""
        current = self.current_posts()
        return {
            kind: [p for p in current if p["post_kind"] == kind] for kind in NETWORK_POST_KINDS
        }
