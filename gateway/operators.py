"""The operator token: a secret header that shows operators what the public must not see (issue #14:
an unauthenticated /readyz showed every service's position, the clues service's included)."""

from __future__ import annotations

import hmac

from gateway.deps import GatewayRuntime

HEADER = "X-Paizhu-Operator-Token"

DOCUMENTED = {"parameters": [{"name": HEADER, "in": "header", "required": False, "schema": {"type": "string"},
                               "description": "运维令牌：显示各项检查 (the operator token: shows the checks)"}]}
"""The header in the OpenAPI document. It is read from the request, not declared as a parameter: no value of it is
invalid (a wrong token shows no checks), so the route has no 422 to answer."""


def is_operator(runtime: GatewayRuntime, presented: str | None) -> bool:
    """True only when an operator token is configured and the one presented equals it (constant time)."""
    expected = runtime.operator_token
    if not expected or not presented:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))
