"""Routes declared from the services' interfaces: one line a route, no hand-written forwarding.

`operation_route(router, "POST", "/directives/{directive_id}/stages", RecordStage, "ledgers.record_stage",
body=StageBody, status_code=201)` makes the route that takes the path parameters and the body, asks for
the permission, runs the operation and answers its typed result; its summary is the operation's docstring.
A GET route without a body takes the operation's other fields as query parameters.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from authz import Permission
from gateway.deps import GatewayRuntime, Runtime, Services
from gateway.permissions import require
from services.common.interface import Operation

_PATH_PARAMETER = re.compile(r"{(\w+)}")

Check = Callable[[Any, Permission, GatewayRuntime], None]
"""A check of the ids an operation names against the read models (gateway.references), run before it."""


def _annotation(operation: type[Operation[Any]], name: str) -> Any:
    return operation.model_fields[name].rebuild_annotation()


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def operation_route(
    router: APIRouter,
    method: str,
    path: str,
    operation: type[Operation[Any]],
    action: str,
    *,
    body: type[BaseModel] | None = None,
    status_code: int = 200,
    check: Check | None = None,
) -> None:
    """Add the route that runs `operation` under the permission `action` (after `check`, if any)."""
    in_path = _PATH_PARAMETER.findall(path)
    parameters = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(operation, name))
        for name in in_path
    ]
    if body is not None:
        parameters.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body))
    else:
        for name, field in operation.model_fields.items():
            if name in in_path:
                continue
            default = Query() if field.is_required() else Query(field.get_default(call_default_factory=True))
            parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                                annotation=_annotation(operation, name), default=default))
    parameters.append(inspect.Parameter("services", inspect.Parameter.KEYWORD_ONLY, annotation=Services))
    if check is not None:
        parameters.append(inspect.Parameter("gateway", inspect.Parameter.KEYWORD_ONLY, annotation=Runtime))
    parameters.append(inspect.Parameter("permission", inspect.Parameter.KEYWORD_ONLY, annotation=Permission,
                                        default=require(action)))

    def endpoint(**values: Any) -> Any:
        services, permission, given = values.pop("services"), values.pop("permission"), values.pop("body", None)
        gateway = values.pop("gateway", None)
        fields = given.fields() if given is not None and hasattr(given, "fields") else {}
        command = operation(**values, **fields)
        if check is not None:
            check(command, permission, gateway)
        return services.run(command, permission)

    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=operation.result_type)  # type: ignore[attr-defined]
    endpoint.__name__ = _snake(operation.__name__)
    endpoint.__doc__ = operation.__doc__
    router.add_api_route(path, endpoint, methods=[method], status_code=status_code,
                         response_model=operation.result_type, name=endpoint.__name__)
