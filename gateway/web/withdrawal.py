"""Group workbench: withdrawing an item sent to a unit in error (撤回) — a page that shows the item and asks for
the reason, then runs `POST /api/units/items/{id}/withdraw`'s command under its permission (the record and the
reason stay; the unit sees it withdrawn)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from authz import Permission
from gateway.deps import Services
from gateway.permissions import grant, require
from gateway.web.forms import checked_form, validate, values
from gateway.web.group import localized
from gateway.web.render import page
from services.common.errors import DomainError
from services.common.interface import Id
from services.units.interface import GetItem, WithdrawalBody, WithdrawItem
from services.units.outbound import ITEM_STATUSES, OUTBOUND_KINDS

router = APIRouter(include_in_schema=False)
FINAL = ("completed", "withdrawn")
"""An item in one of these states can no longer be withdrawn (the form is not offered)."""


def _withdrawal_page(request: Request, services: Services, permission: Permission, item_id: str, *,
                     forms: dict[str, dict[str, Any]] | None = None, errors: dict[str, dict[str, str]] | None = None,
                     status_code: int = 200) -> HTMLResponse:
    principal = permission.principal
    item = services.run(GetItem(item_id=item_id), grant(principal, "units.read"))
    return page(request, "item_withdraw.html", principal=principal, active="channel", item=item,
                item_kinds=OUTBOUND_KINDS,
                item_statuses=ITEM_STATUSES, may_withdraw=item.status not in FINAL,
                form=(forms or {}).get("withdraw", {}),
                errors=localized(request, (errors or {}).get("withdraw", {})), status_code=status_code)


@router.get("/group/channel/items/{item_id}/withdraw", response_class=HTMLResponse)
def withdrawal(request: Request, item_id: Id, services: Services,
               permission: Permission = require("units.track_item")) -> HTMLResponse:
    """The item and the form asking why it is withdrawn."""
    return _withdrawal_page(request, services, permission, item_id)


@router.post("/group/channel/items/{item_id}/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, item_id: Id, services: Services,
                   permission: Permission = require("units.track_item")) -> Response:
    """Withdraw the item with the reason (`POST /api/units/items/{id}/withdraw`), then the channel, read after
    the write."""
    form = values(await checked_form(request))
    body, errors = validate(WithdrawalBody, form)
    problem = errors
    if body is not None:
        try:
            withdrawn = services.run(WithdrawItem(item_id=item_id, **body.fields()), permission)
        except DomainError as error:
            if error.status == 404:
                raise
            problem = {"_form": error.message}
        else:
            item = services.run(GetItem(item_id=item_id), grant(permission.principal, "units.read"))
            return RedirectResponse(f"/group/channel?unit={item.unit_id}&recorded=withdrawn"
                                    f"&after=units:{withdrawn.position}", status_code=303)
    return _withdrawal_page(request, services, permission, item_id, forms={"withdraw": form},
                            errors={"withdraw": problem}, status_code=422)
