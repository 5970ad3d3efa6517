"""Operations on the roster, the routing matrix and attachments."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from services.common.interface import Body, Command, Day, Fields, Id, Name, Query, Title
from services.units.interface.fields import (
    BY_NAME_OR_KIND,
    AddableDepartmentKind,
    Base64,
    MemberRole,
    PostKind,
    Remark,
    Sha256,
)
from services.units.interface.results import (
    AttachmentStored,
    CounterpartRecorded,
    DepartmentRecorded,
    PostRecorded,
    UnitRegistered,
)
from services.units.interface.views import AttachmentContent, AttachmentFile, RoutingView, UnitView


# -- roster and routing matrix ---------------------------------------------------------------------
class RegisterUnit(Command[UnitRegistered]):
    """Register a supervised unit (with its party leadership group) and the group's routing matrix for it."""

    group_id: Id
    unit_id: Id
    name: Title
    party_group_name: Name = Field(description="党组名称")


class DepartmentBody(Body):
    model_config = BY_NAME_OR_KIND

    department_id: Id
    name: Name
    department_kind: AddableDepartmentKind = Field(alias="kind")
    parent_id: Id | None = Field(default=None, description="上级司局 (a division's bureau)")
    since: Day | None = None


class AddDepartment(Command[DepartmentRecorded], DepartmentBody):
    """Add a bureau (司局), division (处室, under a bureau) or subordinate body (直属单位)."""

    unit_id: Id


class RenameBody(Body):
    new_name: Name
    on: Day | None = None


class RenameDepartment(Command[DepartmentRecorded], RenameBody):
    """Rename a department (the old name stays in its history)."""

    unit_id: Id
    department_id: Id


class DissolveBody(Body):
    on: Day | None = None


class DissolveDepartment(Command[DepartmentRecorded], DissolveBody):
    """Dissolve a department that has no active divisions and nobody in post."""

    unit_id: Id
    department_id: Id


class AppointmentBody(Body):
    person_id: Id | None = Field(default=None, description="人员编号: a person already on the roster (another post of "
                                                          "theirs); omitted: a new person, even of the same name")
    person_name: Name
    post_kind: PostKind
    title: Name
    department_id: Id
    since: Day
    note: Remark | None = None


class AppointPerson(Command[PostRecorded], AppointmentBody):
    """Record that a person took up a post: head, leadership, department head, or a network post."""

    unit_id: Id


class LeavingBody(Body):
    left_on: Day
    reason: Name


class RecordLeaving(Command[PostRecorded], LeavingBody):
    """Record that a person left a post (transfer, retirement, removal...)."""

    unit_id: Id
    post_id: Id


class CounterpartBody(Body):
    counterpart_id: Id
    member: Id = Field(description="the group member's user id")
    member_role: MemberRole
    since: Day | None = None


class AssignCounterpart(Command[CounterpartRecorded], CounterpartBody):
    """Name the group member who speaks for a counterpart (e.g. the deputy leader in charge of a bureau)."""

    unit_id: Id


class GetUnit(Query[UnitView]):
    """The unit's roster: departments, people in post (and who left, with history), the network."""

    unit_id: Id
    include_history: bool = False


class GetRouting(Query[RoutingView]):
    """The routing matrix: for every active counterpart, the level and who speaks for it."""

    unit_id: Id


# -- attachments -------------------------------------------------------------------------------------
class AttachmentRef(Fields):
    """An uploaded attachment a record cites."""

    sha256: Sha256
    filename: Annotated[str, Field(min_length=1, max_length=200)]


class UploadAttachment(Command[AttachmentStored]):
    """Store an attachment by its SHA-256 (size, type by its bytes and the declared hash checked).

    The content travels as base64 so the command is the same in-process and over HTTP.
    """

    filename: Annotated[str, Field(max_length=1000)]
    content_base64: Base64
    declared_sha256: Sha256 | None = None


class GetAttachment(Query[AttachmentContent]):
    """A stored attachment's bytes by hash (internal: the route reads attachments through the record citing them)."""

    sha256: Sha256


class GetSubmissionAttachment(Query[AttachmentFile]):
    """An attachment a submission cites, to whoever may read the submission."""

    submission_id: Id
    sha256: Sha256
