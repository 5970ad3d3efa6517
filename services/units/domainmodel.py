"""Units domain: the aggregates of the unit channel (re-exported from their modules)."""

from __future__ import annotations

from services.units.deliberation import FeedbackDraft
from services.units.inbound import InboundSubmission
from services.units.outbound import OutboundItem
from services.units.power import PowerList, PowerMatter
from services.units.roster import Unit
from services.units.routing import RoutingMatrix, WrongCounterpartError
from services.units.upward import Consultation, JointAnnouncement, UpwardSubmission

__all__ = [
    "Consultation",
    "FeedbackDraft",
    "InboundSubmission",
    "JointAnnouncement",
    "OutboundItem",
    "PowerList",
    "PowerMatter",
    "RoutingMatrix",
    "Unit",
    "UpwardSubmission",
    "WrongCounterpartError",
]
