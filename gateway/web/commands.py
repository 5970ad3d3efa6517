"""A form on a record's page that runs one command: validated as the API route's body, run as the API route
runs it, then post/redirect/get; refused, the same page again with the problems next to the fields (a record
one may not know stays the page of a missing one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from gateway.web.forms import checked_form, validate, values
from services.common.errors import DomainError

Render = Callable[..., Response]
"""The record's page: `render(forms={name: typed}, errors={name: problems}, status_code=...)`."""


async def form_command(request: Request, name: str, body_model: type[BaseModel], run: Callable[[Any], Any],
                       render: Render, target: str, *lists: str,
                       prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Response:
    """Run the form `name` (its `lists` fields keep every value); on success go to `target`."""
    form = values(await checked_form(request), *lists)
    body, errors = validate(body_model, prepare(form) if prepare else form)
    if body is None:
        return render(forms={name: form}, errors={name: errors}, status_code=422)
    try:
        run(body)
    except DomainError as error:
        if error.status == 404:
            raise
        return render(forms={name: form}, errors={name: {"_form": error.message}}, status_code=error.status)
    return RedirectResponse(target, status_code=303)
