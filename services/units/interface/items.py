"""Operations on items sent to the unit and on feedback while the group deliberates it (集体研判)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from services.common.interface import NO_CONTROL_CHARACTERS, Body, Command, Day, Id, Query, Title
from services.units.interface.fields import (
    BY_NAME_OR_KIND,
    Decision,
    DeliveryChannel,
    FeedbackForm,
    LongText,
    OutboundKind,
    Reference,
    Remark,
    Stance,
)
from services.units.interface.results import (
    DraftDeliberated,
    DraftRecorded,
    DraftRevised,
    FeedbackIssued,
    ItemRecorded,
    OverdueRecorded,
)
from services.units.interface.views import DraftView, ItemView


# -- items to the unit -------------------------------------------------------------------------------
class RequestBody(Body):
    model_config = BY_NAME_OR_KIND

    item_kind: OutboundKind = Field(
        alias="kind", description="document_request or directive_relay; feedback is issued after deliberation, "
                                  "recommendations come from the clues service; scheduling_request is retired "
                                  "(`use_scheduling_rounds`: open a scheduling round of the ledgers)")
    title: Title
    body: LongText
    counterpart_id: Id
    deadline: Day
    reference_number: Reference = ""


class IssueRequest(Command[ItemRecorded], RequestBody):
    """Send a document request (调阅资料), scheduling request (调度) or relay of HQ instructions to the unit."""

    unit_id: Id


class DeliveryBody(Body):
    channel: DeliveryChannel = "portal"


class RecordDelivery(Command[ItemRecorded], DeliveryBody):
    """Record that an item reached the unit (portal, paper, in person)."""

    item_id: Id


class AcknowledgeItem(Command[ItemRecorded]):
    """The unit signs for an item (签收); an item not yet marked delivered is delivered by the portal."""

    item_id: Id


class WithdrawalBody(Body):
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=NO_CONTROL_CHARACTERS)]


class WithdrawItem(Command[ItemRecorded], WithdrawalBody):
    """Withdraw an item sent in error (the record and its reason stay)."""

    item_id: Id


class RecordOverdue(Command[OverdueRecorded]):
    """Scheduler: record an Overdue event, once, for each open unanswered item past its deadline."""



class GetItem(Query[ItemView]):
    """One item sent to the unit, with its delivery, acknowledgement and answers."""

    item_id: Id



# -- feedback deliberation (集体研判) ------------------------------------------------------------------
class FeedbackDraftBody(Body):
    title: Title
    body: LongText
    counterpart_id: Id
    deadline: Day
    important: bool = False
    form: FeedbackForm = "written"


class DraftFeedback(Command[DraftRecorded], FeedbackDraftBody):
    """Draft feedback (反馈意见) for collective deliberation; the unit sees nothing until it is issued."""

    unit_id: Id


class OpinionBody(Body):
    stance: Stance
    text: Annotated[str, Field(max_length=5000, pattern=NO_CONTROL_CHARACTERS)] = ""


class RecordOpinion(Command[DraftDeliberated], OpinionBody):
    """A group member records an opinion on the draft (agree, amend, object)."""

    draft_id: Id


class RevisionBody(Body):
    body: LongText
    important: bool
    reason: Remark = ""


class ReviseFeedback(Command[DraftRevised], RevisionBody):
    """Revise the text; it must be deliberated (and decided, if important) again."""

    draft_id: Id


class DecisionBody(Body):
    decision: Decision
    note: Remark = ""


class DecideFeedback(Command[DraftDeliberated], DecisionBody):
    """The group leadership decides on important feedback (组领导研究决定): approve or return."""

    draft_id: Id


class IssueBody(Body):
    reference_number: Reference = ""


class IssueFeedback(Command[FeedbackIssued], IssueBody):
    """Issue deliberated feedback to the unit, signed per the routing matrix."""

    draft_id: Id


class GetFeedbackDraft(Query[DraftView]):
    """A feedback draft with opinions, decision and history (group-internal)."""

    draft_id: Id
