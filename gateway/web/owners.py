"""The item form's owner (责任人) as a person of the unit's roster, beside the name shown (issue #15: 以人看事).

The options are the people of the directive's unit the user may read (gateway/web/names.py `roster`: `GET
/api/people?unit_id=` under `people.read`); a user who may not read them gets none and names the owner by name
only. When a person is chosen and no name is written, the item shows the person's name. The gateway checks the
id on the way in (gateway/references.py), whatever the form offered.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

import authz
from gateway.deps import runtime
from gateway.web.names import roster


async def owner_choices(request: Request, principal: authz.Principal, unit_id: str | None) -> list[tuple[str, str]]:
    """(person id, name) of the unit's roster, by name, for the owner select."""
    if not unit_id:
        return []
    found = await roster(runtime(request).read_models, principal, unit_id)
    return sorted(found.items(), key=lambda person: (person[1], person[0]))


def with_owner_name(form: dict[str, Any], owners: list[tuple[str, str]]) -> dict[str, Any]:
    """The form with the chosen person's name as the owner when no name was written."""
    chosen = str(form.get("owner_person_id") or "")
    if chosen and not str(form.get("owner") or "").strip():
        name = dict(owners).get(chosen)
        if name:
            return {**form, "owner": name}
    return form
