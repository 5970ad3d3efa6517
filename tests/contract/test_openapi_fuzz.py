"""The OpenAPI document tells the truth: schemathesis drives every operation of the embedded gateway, in-process,
as three roles, and checks that no answer is a server error and that every status, media type and body is the
one the document declares.

Bounded and reproducible: a few generated examples per operation and role (valid and invalid input), no
shrinking, derandomised, no example database. One test per role and operation, so a failure names both and a
service's operations can be run alone: `pytest tests/contract -k ledgers`, `-k "chen.hq and directives"`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.main import create_app
from tests.api_helpers import Api, embedded_api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

ROLES = {
    "zhang.wei": "a discipline inspection group's staff",
    "zhao.unit": "a supervised unit's liaison",
    "chen.hq": "headquarters",
}

EXAMPLES_PER_OPERATION = int(os.environ.get("PAIZHU_FUZZ_EXAMPLES", "3"))
"""Three in `make test`; more to search deeper by hand (`PAIZHU_FUZZ_EXAMPLES=50`)."""

# The document is read at collection (one test per operation); the platform behind the app starts in the fixture.
app = create_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def platform_api() -> Iterator[Api]:
    """The demo platform in memory, serving the same app object the schema was read from."""
    with embedded_api(demo=True) as api:
        app.state.runtime = api.platform.gateway_runtime()
        yield api


@pytest.fixture(scope="module")
def tokens(platform_api: Api) -> dict[str, str]:
    return {user: platform_api.token(user) for user in ROLES}


@pytest.mark.parametrize("role", list(ROLES))
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    phases=[Phase.generate],  # no explicit/coverage cases (unbounded), no shrinking
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_openapi_fuzz(case: schemathesis.Case, role: str, tokens: dict[str, str]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS)
