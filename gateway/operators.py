"""The operator token: a secret header that shows operators what the public must not see (issue #14:
an unauthenticated /readyz showed every service's position, the clues service's included)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Header

from gateway.deps import GatewayRuntime

HEADER = "X-Paizhu-Operator-Token"

OperatorToken = Annotated[str | None, Header(
    alias=HEADER, description="运维令牌：显示各项检查 (the operator token: shows the checks)")]


def is_operator(runtime: GatewayRuntime, presented: str | None) -> bool:
    """True only when an operator token is configured and the one presented equals it (constant time)."""
    expected = runtime.operator_token
    if not expected or not presented:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))
