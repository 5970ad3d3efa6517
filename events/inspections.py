"""Integration-event contracts of the inspection coordination service."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ConfigDict

from events.registry import Contract, contract, upcaster


@contract("inspections.ClueReferred", 1)
class ClueReferred(Contract):
    """An inspection team (or a supervision activity) refers a clue to the group.

    The content (subject, allegations, summary) is sealed for the clues service (`events.sealed`):
    only ciphertext travels.
    """

    referral_id: str
    round_id: str | None
    activity_id: str | None
    sealed_content: str


@contract("inspections.RectificationItemHandedOver", 1)
class RectificationItemHandedOver(Contract):
    """A finding after an inspection round (or of a supervision activity) becomes a rectification item."""

    item_id: str
    round_id: str | None
    activity_id: str | None
    title: str
    description: str
    problem_type: str
    """one of the seed's typology, see DOMAIN.md (empty_statements, perfunctory, ...) or other"""
    responsible_department: str
    deadline: date


# -- rounds ------------------------------------------------------------------------------------


@contract("inspections.RoundRecorded", 1)
class RoundRecorded(Contract):
    """HQ or the group recorded an inspection round of a unit (distribution `inspection:<round_id>`)."""

    round_id: str
    title: str
    team_id: str
    member_ids: list[str]
    before_start: date
    before_end: date
    during_start: date
    during_end: date
    after_start: date
    after_end: date


@contract("inspections.RoundOpened", 1)
class RoundOpened(Contract):
    round_id: str


@contract("inspections.RoundClosed", 1)
class RoundClosed(Contract):
    """The round ended: its team's members lose access to it."""

    round_id: str


@contract("inspections.RoundMembersChanged", 1)
class RoundMembersChanged(Contract):
    round_id: str
    member_ids: list[str]


@contract("inspections.BriefingPackageFrozen", 1)
class BriefingPackageFrozen(Contract):
    """The briefing package (巡前) given to the team, as of the stated positions of each service's history."""

    round_id: str
    package_id: str
    positions: dict[str, int]
    content_hash: str
    """SHA-256 of the canonical JSON of the package; a rebuild from the same positions gives the same hash"""


@contract("inspections.ClueHandedOver", 1)
class ClueHandedOver(Contract):
    """The group leader handed one clue to the team (the recorded reason stays in the inspections service)."""

    round_id: str
    clue_id: str


@contract("inspections.InformationRequested", 1)
class InformationRequested(Contract):
    request_id: str
    round_id: str
    direction: str
    """team_to_group or group_to_team; the question itself stays in the inspections service"""
    deadline: date


@contract("inspections.InformationAnswered", 1)
class InformationAnswered(Contract):
    request_id: str
    round_id: str


@contract("inspections.InformationRequestOverdue", 1)
class InformationRequestOverdue(Contract):
    request_id: str
    round_id: str
    deadline: date


@contract("inspections.RectificationProgressRecorded", 1)
class RectificationProgressRecorded(Contract):
    item_id: str
    round_id: str
    completed: bool
    source: str


@contract("inspections.RectificationItemOverdue", 1)
class RectificationItemOverdue(Contract):
    item_id: str
    round_id: str
    deadline: date


@contract("inspections.LookBackScheduled", 1)
class LookBackScheduled(Contract):
    look_back_id: str
    round_id: str
    due_on: date


@contract("inspections.LookBackCompleted", 1)
class LookBackCompleted(Contract):
    look_back_id: str
    round_id: str
    reopened_item_ids: list[str]


# -- supervision activities ----------------------------------------------------------------------


@contract("inspections.SupervisionActivityPlanned", 1)
class SupervisionActivityPlannedV1(Contract):
    """embedded 嵌入式, tracking 跟踪式, pinpoint 点穴式, joint 联合监督, consultation 定期会商, special 专项督促检查"""

    model_config = ConfigDict(frozen=True, extra="forbid", title="SupervisionActivityPlanned")

    activity_id: str
    kind: str
    title: str
    methods: list[str]
    start_on: date
    end_on: date
    leader_id: str | None
    hq_offices: list[str]


@contract("inspections.SupervisionActivityPlanned", 2)
class SupervisionActivityPlanned(Contract):
    """embedded 嵌入式, tracking 跟踪式, pinpoint 点穴式, joint 联合监督, consultation 定期会商, special 专项督促检查.
    v2 adds the directive and stage the activity supervised (`directive_id`, `stage`: None when upcast from v1)."""

    activity_id: str
    kind: str
    title: str
    methods: list[str]
    start_on: date
    end_on: date
    leader_id: str | None
    hq_offices: list[str]
    directive_id: str | None = None
    stage: str | None = None
    """relay_study, deployment, plan, execution, result_evaluation, look_back_review, institution_building"""


@upcaster("inspections.SupervisionActivityPlanned", 1)
def _activity_planned_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "directive_id": None, "stage": None}


@contract("inspections.SupervisionActivityStarted", 1)
class SupervisionActivityStarted(Contract):
    activity_id: str
    started_on: date


@contract("inspections.SupervisionWorkRecorded", 1)
class SupervisionWorkRecorded(Contract):
    """A piece of an activity's work was done (its summary stays in the service): the method, the day, how many
    took part."""

    activity_id: str
    method: str
    held_on: date
    participant_count: int


@contract("inspections.SupervisionFindingRecorded", 1)
class SupervisionFindingRecorded(Contract):
    """A finding of an activity (its text stays in the service until it becomes an item or a clue)."""

    activity_id: str
    finding_id: str


@contract("inspections.SupervisionActivityCompleted", 1)
class SupervisionActivityCompleted(Contract):
    activity_id: str
    completed_on: date
    findings: int
