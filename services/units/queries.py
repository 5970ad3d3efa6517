"""Commands and queries of the roster and the routing matrix."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from services.common.application import command, query
from services.common.errors import ConflictError
from services.units.base import UnitsBase, jsonable
from services.units.roster import DEPARTMENT_KINDS, POST_KINDS, Unit
from services.units.routing import RoutingMatrix


class RosterCommands(UnitsBase):
    @command
    def register_unit(self, group_id: str, unit_id: str, name: str, party_group_name: str) -> dict[str, Any]:
        """Register a supervised unit (with its party leadership group) and the group's routing matrix for it."""
        Unit.check_registration(name, party_group_name)
        if Unit.create_id(unit_id) in self.repository:
            raise ConflictError(f"单位已登记 (unit already registered): {unit_id}", code="unit_exists")
        unit = Unit(group_id=group_id, unit_id=unit_id, name=name.strip(), party_group_name=party_group_name.strip())
        matrix = RoutingMatrix(group_id=group_id, unit_id=unit_id)
        return {"unit_id": unit_id, "position": self.record(unit, matrix)}

    @command
    def add_department(
        self, unit_id: str, department_id: str, name: str, kind: str, parent_id: str | None = None,
        since: date | None = None,
    ) -> dict[str, Any]:
        """Add a bureau (司局), division (处室, under a bureau) or subordinate body (直属单位)."""
        unit = self.unit(unit_id)
        unit.check_department(department_id, name, kind, parent_id)
        unit.add_department(department_id=department_id.strip(), name=name.strip(), kind=kind,
                            parent_id=parent_id or None, since=since or self.today())
        return {"unit_id": unit_id, "department_id": department_id, "position": self.record(unit)}

    @command
    def rename_department(self, unit_id: str, department_id: str, new_name: str,
                          on: date | None = None) -> dict[str, Any]:
        """Rename a department (the old name stays in its history)."""
        unit = self.unit(unit_id)
        unit.check_rename(department_id, new_name)
        unit.rename_department(department_id=department_id, new_name=new_name.strip(), on=on or self.today())
        return {"unit_id": unit_id, "department_id": department_id, "position": self.record(unit)}

    @command
    def dissolve_department(self, unit_id: str, department_id: str, on: date | None = None) -> dict[str, Any]:
        """Dissolve a department that has no active divisions and nobody in post."""
        unit = self.unit(unit_id)
        unit.check_dissolve(department_id)
        unit.dissolve_department(department_id=department_id, on=on or self.today())
        return {"unit_id": unit_id, "department_id": department_id, "position": self.record(unit)}

    @command
    def appoint_person(
        self, unit_id: str, person_name: str, post_kind: str, title: str, department_id: str, since: date,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record that a person took up a post: head, leadership, department head, or a network post."""
        unit = self.unit(unit_id)
        post_id = str(uuid.uuid4())
        unit.check_appointment(post_id, person_name, post_kind, title, department_id, since)
        unit.appoint(post_id=post_id, person_name=person_name.strip(), post_kind=post_kind, title=title.strip(),
                     department_id=department_id, since=since, note=note)
        return {"unit_id": unit_id, "post_id": post_id, "position": self.record(unit)}

    @command
    def record_leaving(self, unit_id: str, post_id: str, left_on: date, reason: str) -> dict[str, Any]:
        """Record that a person left a post (transfer, retirement, removal...)."""
        unit = self.unit(unit_id)
        unit.check_leave(post_id, left_on, reason)
        unit.leave_post(post_id=post_id, left_on=left_on, reason=reason.strip())
        return {"unit_id": unit_id, "post_id": post_id, "position": self.record(unit)}

    @command
    def assign_counterpart(
        self, unit_id: str, counterpart_id: str, member: str, member_role: str, since: date | None = None
    ) -> dict[str, Any]:
        """Name the group member who speaks for a counterpart (e.g. the deputy leader in charge of a bureau)."""
        unit = self.unit(unit_id)
        level = unit.level_of(counterpart_id)
        matrix = self.matrix(unit)
        matrix.check_assignment(level, member_role, member)
        matrix.assign(counterpart_id=counterpart_id, level=level, member=member.strip(), member_role=member_role,
                      since=since or self.today())
        return {"unit_id": unit_id, "counterpart_id": counterpart_id, "position": self.record(matrix)}

    # -- queries ----------------------------------------------------------------------------
    @query
    def get_unit(self, unit_id: str, include_history: bool = False) -> dict[str, Any]:
        """The unit's roster: departments, people in post (and who left, with history), the network."""
        unit = self.unit(unit_id)
        posts = sorted(unit.posts.values(), key=lambda p: (p["since"], p["person_name"]))
        result: dict[str, Any] = {
            "unit_id": unit.unit_id,
            "group_id": unit.group_id,
            "name": unit.name,
            "departments": [
                dict(jsonable(d), kind_label=DEPARTMENT_KINDS[d["kind"]]) for d in unit.departments.values()
            ],
            "posts": [
                dict(jsonable(p), post_kind_label=POST_KINDS[p["post_kind"]])
                for p in posts if include_history or p["left_on"] is None
            ],
            "network": jsonable(unit.network()),
            "version": unit.version,
        }
        if include_history:
            result["history"] = [
                {"event": type(e).__name__, "at": e.timestamp.isoformat(), "actor": e.actor.get("user"),
                 **{k: jsonable(v) for k, v in e.__dict__.items()
                    if k in ("department_id", "name", "new_name", "person_name", "post_kind", "title", "since",
                             "left_on", "reason", "on", "kind", "post_id")}}
                for e in self.repository.event_store.get(unit.id)
            ]
        return result

    @query
    def get_routing(self, unit_id: str) -> dict[str, Any]:
        """The routing matrix: for every active counterpart, the level and who speaks for it."""
        unit = self.unit(unit_id)
        matrix = self.matrix(unit)
        rows = []
        for department in unit.departments.values():
            if not department["active"]:
                continue
            route = matrix.route(department["department_id"], department["kind"])
            rows.append({"counterpart_id": department["department_id"], "counterpart_name": department["name"],
                         "level": department["kind"], **route})
        return {"unit_id": unit_id, "group_id": unit.group_id, "routes": rows, "version": matrix.version}
