"""Reading the units service's records: the lookups its commands share, and its queries with their views.

Every record a query loads is checked against the caller's permission where it is loaded
(`ServiceApplication.load`); a listing inside a unit is checked as a record of the listed kind in that unit,
so whoever may not read such records gets the 404 a missing unit gets.
"""

from __future__ import annotations

import base64
from typing import Any

from authz import Scope
from events.plain import plain
from services.common.aggregate import ChainedAggregate
from services.common.application import ServiceApplication, query
from services.common.context import current
from services.common.errors import NotFoundError
from services.units.blobstore import BlobStore
from services.units.deliberation import FeedbackDraft
from services.units.inbound import INBOUND_KIND_LABELS, InboundSubmission
from services.units.interface import (
    AnnouncementView,
    AttachmentContent,
    AttachmentFile,
    ConsultationView,
    DraftView,
    GetAnnouncement,
    GetAttachment,
    GetConsultation,
    GetFeedbackDraft,
    GetItem,
    GetPowerList,
    GetPowerMatter,
    GetRouting,
    GetSubmission,
    GetSubmissionAttachment,
    GetUnit,
    GetUpward,
    ItemView,
    PowerListView,
    PowerMatterView,
    RoutingView,
    SubmissionView,
    UnitView,
    UpwardView,
)
from services.units.outbound import OUTBOUND_KINDS, OutboundItem
from services.units.power import MATTER_CATEGORIES, PowerList, PowerMatter
from services.units.roster import DEPARTMENT_KINDS, POST_KINDS, Unit
from services.units.routing import RoutingMatrix
from services.units.upward import Consultation, JointAnnouncement, UpwardSubmission

HISTORY_FIELDS = ("department_id", "name", "new_name", "person_id", "person_name", "post_kind", "title", "since",
                  "left_on", "reason", "on", "kind", "post_id", "target", "target_id", "fields")


def unit_absent() -> NotFoundError:
    """One answer for a unit that is not there and for one the caller may not know (or whose lists it may not
    read): the same status, code and message, and never the id asked for."""
    return NotFoundError("单位未登记 (unit not registered)", code="unit_not_found")


class _Listing:
    """The records of one kind in one unit, as the authoriser sees them."""

    def __init__(self, unit: Unit, kind: type[ChainedAggregate]) -> None:
        self.scope = Scope(group_id=unit.group_id, unit_id=unit.unit_id, distribution=kind.default_distribution)

    def access_scope(self) -> Scope:
        return self.scope


# -- views ------------------------------------------------------------------------------------------
def submission_view(s: InboundSubmission) -> SubmissionView:
    return SubmissionView.model_validate({
        "submission_id": str(s.id), "group_id": s.group_id, "unit_id": s.unit_id,
        "distribution": s.default_distribution, "kind": s.kind, "kind_label": INBOUND_KIND_LABELS[s.kind],
        "title": s.title, "details": plain(s.details), "attachments": s.attachments,
        "submitted_by": s.submitted_by, "receipt": {"number": s.receipt_number, "received_at": s.received_at},
        "answers_item_id": s.answers_item_id, "reviewed": s.reviewed, "version": s.version,
    })


def item_view(item: OutboundItem) -> ItemView:
    return ItemView.model_validate({
        "item_id": str(item.id), "group_id": item.group_id, "unit_id": item.unit_id,
        "distribution": item.default_distribution, "kind": item.kind, "kind_label": OUTBOUND_KINDS[item.kind],
        "title": item.title, "body": item.body, "reference_number": item.reference_number,
        "counterpart_id": item.counterpart_id, "counterpart_name": item.counterpart_name, "level": item.level,
        "signed_by": item.signed_by, "signer_role": item.signer_role, "deadline": item.deadline.isoformat(),
        "issued_on": item.issued_on.isoformat(), "source_ref": item.source_ref, "status": item.status,
        "delivered": plain(item.delivered), "acknowledged": plain(item.acknowledged),
        "answers": plain(item.answers), "overdue_on": plain(item.overdue_on), "withdrawn": item.withdrawn,
        "version": item.version,
    })


def draft_view(draft: FeedbackDraft) -> DraftView:
    return DraftView.model_validate({
        "draft_id": str(draft.id), "group_id": draft.group_id, "unit_id": draft.unit_id,
        "distribution": draft.default_distribution, "title": draft.title, "body": draft.body,
        "form": draft.form, "important": draft.important, "counterpart_id": draft.counterpart_id,
        "drafted_by": draft.drafted_by, "deadline": draft.deadline.isoformat(), "revision": draft.revision,
        "status": draft.status, "opinions": list(draft.opinions.values()), "decision": plain(draft.decision),
        "issued_item_id": draft.issued_item_id, "history": plain(draft.history), "version": draft.version,
    })


def matter_view(matter: PowerMatter) -> PowerMatterView:
    return PowerMatterView.model_validate({
        "matter_id": str(matter.id), "group_id": matter.group_id, "unit_id": matter.unit_id,
        "distribution": matter.default_distribution, "category": matter.category,
        "category_label": MATTER_CATEGORIES[matter.category], "title": matter.title,
        "department_id": matter.department_id, "department_name": matter.department_name,
        "decided_on": matter.decided_on.isoformat(), "source": matter.source, "meeting": matter.meeting,
        "amount_yuan": matter.amount_yuan, "submission_id": matter.submission_id,
        "observations": plain(matter.observations), "version": matter.version,
    })


def upward_view(s: UpwardSubmission) -> UpwardView:
    return UpwardView.model_validate({
        "upward_id": str(s.id), "group_id": s.group_id, "unit_id": s.unit_id,
        "distribution": s.default_distribution, "kind": s.kind, "title": s.title, "body": s.body,
        "submitted_by": s.submitted_by, "submitted_on": s.submitted_on.isoformat(),
        "replies": plain(s.replies), "version": s.version,
    })


def consultation_view(c: Consultation) -> ConsultationView:
    return ConsultationView.model_validate({
        "consultation_id": str(c.id), "group_id": c.group_id, "unit_id": c.unit_id,
        "distribution": c.default_distribution, "kind": c.kind, "held_on": c.held_on.isoformat(),
        "participants": c.participants, "topics": c.topics, "minutes": c.minutes,
        "actions": plain(list(c.actions.values())), "version": c.version,
    })


def announcement_view(a: JointAnnouncement) -> AnnouncementView:
    return AnnouncementView.model_validate({
        "announcement_id": str(a.id), "group_id": a.group_id, "unit_id": a.unit_id,
        "distribution": a.default_distribution, "title": a.title, "body": a.body,
        "published_on": a.published_on.isoformat(), "published_by": a.published_by,
    })


class UnitsQueries(ServiceApplication):
    """The lookups the commands share (the acting member, today, the roster) and the service's queries."""

    blobs: BlobStore

    # -- lookups ----------------------------------------------------------------------------------

    @staticmethod
    def actor() -> dict[str, str]:
        return dict(current().actor)

    def unit(self, unit_id: str) -> Unit:
        """The unit's roster; a unit the caller may not know answers like one never registered."""
        try:
            found: Unit = self.load(Unit.create_id(unit_id), Unit)
        except NotFoundError as error:
            raise unit_absent() from error
        return found

    def matrix(self, unit: Unit) -> RoutingMatrix:
        matrix: RoutingMatrix = self.load(RoutingMatrix.create_id(unit.group_id, unit.unit_id), RoutingMatrix)
        return matrix

    def power_list(self, unit_id: str, department_id: str) -> PowerList:
        """The department's power list (a new, empty one if it has none yet)."""
        unit = self.unit(unit_id)
        department = unit.department(department_id)
        list_id = PowerList.create_id(unit_id, department_id)
        if list_id not in self.repository:
            return PowerList(group_id=unit.group_id, unit_id=unit_id, department_id=department_id,
                             department_name=department["name"])
        found: PowerList = self.load(list_id, PowerList)
        return found

    def listing(self, unit_id: str, kind: type[ChainedAggregate]) -> Unit:
        """The unit whose records of this kind are listed, once the caller may read such records there."""
        unit = self.unit(unit_id)
        try:
            self.authorize(_Listing(unit, kind))
        except NotFoundError as error:  # another unit's records: the answer a unit never registered gets
            raise unit_absent() from error
        return unit

    def all_of(self, created_event: type[Any], kind: type[Any], unit_id: str | None = None) -> list[Any]:
        aggregates: list[Any] = [self.repository.get(i) for i in self.ids_with(created_event)]
        return [a for a in aggregates if isinstance(a, kind) and (unit_id is None or a.unit_id == unit_id)]

    # -- roster and routing -----------------------------------------------------------------------
    @query
    def get_unit(self, q: GetUnit) -> UnitView:
        """The unit's roster: departments, people in post (and who left, with history), the network."""
        unit = self.unit(q.unit_id)
        posts = sorted(unit.posts.values(), key=lambda p: (p["since"], p["person_name"]))
        history = None
        if q.include_history:
            history = [
                {"event": type(e).__name__, "at": e.timestamp.isoformat(), "actor": e.actor.get("user"),
                 **{k: plain(v) for k, v in e.__dict__.items() if k in HISTORY_FIELDS}}
                for e in self.repository.event_store.get(unit.id)
            ]
        return UnitView.model_validate({
            "unit_id": unit.unit_id, "group_id": unit.group_id, "name": unit.name,
            "departments": [dict(plain(d), kind_label=DEPARTMENT_KINDS[d["kind"]])
                            for d in unit.departments.values()],
            "posts": [dict(plain(p), post_kind_label=POST_KINDS[p["post_kind"]], person_id=unit.person_of(p),
                           key_minority=unit.is_key_minority(p))
                      for p in posts if q.include_history or p["left_on"] is None],
            "network": plain(unit.network()), "version": unit.version, "history": history,
        })

    @query
    def get_routing(self, q: GetRouting) -> RoutingView:
        """The routing matrix: for every active counterpart, the level and who speaks for it."""
        unit = self.unit(q.unit_id)
        matrix = self.matrix(unit)
        rows = [
            {"counterpart_id": d["department_id"], "counterpart_name": d["name"], "level": d["kind"],
             **matrix.route(d["department_id"], d["kind"])}
            for d in unit.departments.values() if d["active"]
        ]
        return RoutingView.model_validate(
            {"unit_id": q.unit_id, "group_id": unit.group_id, "routes": rows, "version": matrix.version})

    # -- submissions and attachments ----------------------------------------------------------------
    @query
    def get_submission(self, q: GetSubmission) -> SubmissionView:
        """One submission with its receipt and attachments."""
        return submission_view(self.load(q.submission_id, InboundSubmission))


    def _blob(self, sha256: str) -> bytes:
        data = self.blobs.get(sha256.strip().lower())
        if data is None:
            raise NotFoundError("附件不存在 (attachment not found)", code="attachment_not_found")
        return data

    @query
    def get_attachment(self, q: GetAttachment) -> AttachmentContent:
        """A stored attachment as base64, by hash (for scripts; readers go through the record citing it)."""
        digest = q.sha256.lower()
        return AttachmentContent(sha256=digest, content_base64=base64.b64encode(self._blob(digest)).decode())

    @query
    def get_submission_attachment(self, q: GetSubmissionAttachment) -> AttachmentFile:
        """An attachment a submission cites, to whoever may read the submission."""
        submission: InboundSubmission = self.load(q.submission_id, InboundSubmission)
        cited = next((a for a in submission.attachments if a["sha256"] == q.sha256.lower()), None)
        if cited is None:
            raise NotFoundError("附件不存在 (attachment not found)", code="attachment_not_found")
        content = base64.b64encode(self._blob(cited["sha256"])).decode()
        return AttachmentFile.model_validate(dict(cited, content_base64=content))

    # -- items and feedback drafts ------------------------------------------------------------------
    @query
    def get_item(self, q: GetItem) -> ItemView:
        """One item sent to the unit, with its delivery, acknowledgement and answers."""
        return item_view(self.load(q.item_id, OutboundItem))


    @query
    def get_feedback_draft(self, q: GetFeedbackDraft) -> DraftView:
        """A feedback draft with opinions, decision and history (group-internal)."""
        return draft_view(self.load(q.draft_id, FeedbackDraft))


    # -- power operation ----------------------------------------------------------------------------
    @query
    def get_power_matter(self, q: GetPowerMatter) -> PowerMatterView:
        """One 三重一大 matter with the group's observations."""
        return matter_view(self.load(q.matter_id, PowerMatter))


    @query
    def get_power_list(self, q: GetPowerList) -> PowerListView:
        """A department's power list and risk points, with their history."""
        unit = self.listing(q.unit_id, PowerList)
        unit.department(q.department_id)
        list_id = PowerList.create_id(q.unit_id, q.department_id)
        if list_id not in self.repository:  # no list yet: an empty one
            return PowerListView(unit_id=q.unit_id, group_id=unit.group_id, department_id=q.department_id,
                                 distribution=PowerList.default_distribution, powers=[], risk_points=[], history=[])
        power_list: PowerList = self.load(list_id, PowerList)
        return PowerListView.model_validate({
            "unit_id": q.unit_id, "group_id": power_list.group_id, "department_id": q.department_id,
            "distribution": power_list.default_distribution, "department_name": power_list.department_name,
            "powers": power_list.powers, "risk_points": plain(list(power_list.risk_points.values())),
            "history": plain(power_list.history), "version": power_list.version,
        })

    # -- upward, consultations, announcements -------------------------------------------------------
    @query
    def get_upward(self, q: GetUpward) -> UpwardView:
        """A request or report to the commission with its replies."""
        return upward_view(self.load(q.upward_id, UpwardSubmission))

    @query
    def get_consultation(self, q: GetConsultation) -> ConsultationView:
        """A consultation with minutes and agreed actions."""
        return consultation_view(self.load(q.consultation_id, Consultation))

    @query
    def get_announcement(self, q: GetAnnouncement) -> AnnouncementView:
        """A joint supervision announcement with its text."""
        return announcement_view(self.load(q.announcement_id, JointAnnouncement))
