"""What a reviewer does with the stores: replay a record as of a moment with its case history, export an evidence
bundle. Each use is recorded first (`services.common.forensic_log`, in the store of the service that owns the
record): who, what, why; a use without a reason is refused.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from paizhu.forensics.asof import Moment, diff, rebuild_as_of
from paizhu.forensics.history import Case, CaseNotFoundError, collect_case
from paizhu.settings import Settings
from paizhu.stored_logs import open_logs


class RecordKind(StrEnum):
    directive = "directive"
    item = "item"
    clue = "clue"
    round = "round"


AGGREGATES = {RecordKind.directive: "Directive", RecordKind.item: "LedgerItem", RecordKind.clue: "Clue",
              RecordKind.round: "InspectionRound"}


class Reviewer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.logs, self.keys = open_logs(settings)
        self._apps: dict[str, Any] = {}

    def app(self, service: str) -> Any:
        if service not in self._apps:
            from paizhu.services import build_app

            self._apps[service] = build_app(self.settings, self.keys, service)
        return self._apps[service]

    def case(self, kind: RecordKind, record_id: str) -> Case:
        """The record's case; CaseNotFoundError when there is no record of that kind with that id."""
        case = collect_case(self.logs, record_id)
        if case.kind != AGGREGATES[kind]:
            raise CaseNotFoundError(record_id)
        return case

    def record_use(self, case: Case, action: str, actor: dict[str, str], reason: str, outcome: str = "allowed",
                   detail: dict[str, Any] | None = None) -> None:
        from services.common.forensic_log import record_forensic_use

        record_forensic_use(self.app(case.service), actor, action, case.record_id, case.kind, reason, outcome,
                            detail)

    def replay(self, case: Case, moment: Moment, compare: Moment | None = None) -> dict[str, Any]:
        """The record as of the moment, its history (all of it, each event marked as counted or not), and, with
        `compare`, the state at that other moment and the difference field by field."""
        app = self.app(case.service)
        state, counted = rebuild_as_of(app, case, moment)
        counted_keys = {(e.service, e.position) for e in counted}
        history = [e.as_dict() | {"counted": (e.service, e.position) in counted_keys} for e in case.history()]
        result: dict[str, Any] = {
            "record_id": case.record_id, "kind": case.kind, "service": case.service,
            "as_of": {"version": moment.version, "position": moment.position, "at": moment.at,
                      "axis": moment.axis.value},
            "state": state, "history": history,
        }
        if compare is not None:
            other, _ = rebuild_as_of(app, case, compare)
            result["compared_with"] = {"as_of": {"version": compare.version, "position": compare.position,
                                                 "at": compare.at, "axis": compare.axis.value}, "state": other}
            result["diff"] = diff(other, state)
        return result

    def close(self) -> None:
        for app in self._apps.values():
            app.close()
        for log in self.logs.values():
            log.close()
