"""The supervision activities that supervised one directive, for its page (issue #15: the detail ledger records
the group's supervision at each node as well as the unit's work).

Read from the inspection handoff read model (`GET /api/inspections/activities?directive_id=`), under the
activities list's own read rule: whoever may not list activities sees no such section.
"""

from __future__ import annotations

from authz import Principal
from gateway.deps import ReadModels
from gateway.inspections import handoff as handoff_api
from gateway.permissions import grant
from gateway.web.paging import every_page
from services.common.errors import DomainError

MAX_SHOWN = 50
"""At most this many activities are listed on a directive's page (the activities page lists them all)."""


async def supervising_activities(read_models: ReadModels, principal: Principal,
                                 directive_id: str) -> list[handoff_api.ActivityRow] | None:
    """The activities planned on the directive (any stage), the latest first; None: the user may not list them."""
    try:
        permission = grant(principal, "inspections.list_activities", listing=True)
    except DomainError:
        return None
    found: list[handoff_api.ActivityRow] = await every_page(
        handoff_api.activities, enough=MAX_SHOWN, read_models=read_models, kind=None, unit_id=None,
        directive_id=directive_id, stage=None, sort=handoff_api.ActivitySort.newest, permission=permission)
    return found


