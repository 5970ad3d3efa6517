"""What the inspections service's commands return: the ids they created and the position they wrote
(read models can be waited on for that position). What the queries return is in `views`."""

from __future__ import annotations

from services.common.interface import Result


class RoundRecorded(Result):
    round_id: str
    position: int


class PackageFrozen(RoundRecorded):
    package_id: str


class ClueHandedOver(RoundRecorded):
    clue_id: str


class ReferralRecorded(RoundRecorded):
    referral_id: str


class RequestRecorded(RoundRecorded):
    request_id: str


class FindingRecorded(RoundRecorded):
    finding_id: str


class ItemRecorded(RoundRecorded):
    item_id: str


class LookBackRecorded(RoundRecorded):
    look_back_id: str


class Overdue(Result):
    """A request (`request_id`) or a rectification item (`item_id`) marked overdue."""

    round_id: str
    request_id: str | None = None
    item_id: str | None = None


class DeadlinesChecked(Result):
    overdue: list[Overdue]
    position: int


class ActivityRecorded(Result):
    activity_id: str
    position: int


class ActivityFindingRecorded(ActivityRecorded):
    finding_id: str


class ActivityItemRecorded(ActivityRecorded):
    item_id: str


class ActivityReferralRecorded(ActivityRecorded):
    referral_id: str
