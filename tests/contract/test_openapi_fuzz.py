"""The OpenAPI document tells the truth: schemathesis drives every operation of the embedded gateway, in-process,
as three roles, and checks that no answer is a server error and that every status, media type and body is the
one the document declares.

Bounded and reproducible: a few generated examples per operation and role (valid and invalid input), no
shrinking, derandomised, no example database; the demo platform's state is the same at every run of the same
selection (the cases that succeed change it, in test order). One test per role and operation, so a failure
names both, and a service's operations run alone: `pytest tests/contract -k ledgers` (`-k clues`,
`-k inspections`, `-k units`, `-k hq`, `-k session`, `-k ops`), `-k "central_staff and hq"`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
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
    "group_staff": "zhang.wei",  # a discipline inspection group's staff
    "unit_liaison": "zhao.unit",  # the liaison of a unit the group is resident in
    "central_staff": "chen.hq",  # headquarters
}
"""Test ids name the role, not the account, so `-k hq` selects the HQ routes and nothing else."""

EXAMPLES_PER_OPERATION = int(os.environ.get("PAIZHU_FUZZ_EXAMPLES", "3"))
"""Three in `make test`; more to search deeper by hand (`PAIZHU_FUZZ_EXAMPLES=50`)."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# an uploaded workbook's part is bytes like any file (schemathesis knows no serializer of this media type)
schemathesis.serializer.alias(XLSX, "application/octet-stream")

# The document is read at collection (one test per operation); the platform behind the app starts in the fixture.
app = create_app()
schema = schemathesis.openapi.from_dict(app.openapi())
schema.app = app  # cases are sent to the app in-process (ASGI)

REQUEST_TIMEOUT = 120
"""Seconds one request may take: a loaded 2-core machine is slow, a slow answer is not a failure here."""


@pytest.fixture(scope="module")
def platform_api() -> Iterator[Api]:
    """The demo platform in memory, serving the same app object the schema was read from."""
    with embedded_api(demo=True) as api:
        app.state.runtime = api.platform.gateway_runtime()
        yield api


@pytest.fixture(scope="module")
def tokens(platform_api: Api) -> dict[str, str]:
    return {role: platform_api.token(user) for role, user in ROLES.items()}


@pytest.fixture(scope="module")
def known_ids(platform_api: Api, tokens: dict[str, str]) -> dict[str, list[str]]:
    """Ids of the demo's records by name (`directive_id`, `unit_id` …), read through the API as the three roles:
    the lists first, then the records they name. Generated ids (path, query, top-level body fields) are mostly
    replaced by one of them, so the cases reach the services' rules instead of stopping at 404."""
    found: dict[str, set[str]] = {}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key.endswith("_id") and isinstance(item, str) and item:
                    found.setdefault(key, set()).add(item)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    paths = [path for path, item in app.openapi()["paths"].items() if "get" in item]
    for depth in range(2):
        for path in paths:
            names = re.findall(r"{(\w+)}", path)
            if len(names) != depth:
                continue
            for name in names:  # one known value per name: bounded, a first look
                if not found.get(name):
                    break
            else:
                url = path.format(**{name: sorted(found[name])[0] for name in names})
                for token in tokens.values():
                    response = platform_api.client.get(url, headers={"Authorization": f"Bearer {token}"})
                    if response.headers.get("content-type") == "application/json":
                        collect(response.json())
    return {name: sorted(values) for name, values in found.items()}


@pytest.mark.parametrize("role", list(ROLES))
@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    phases=[Phase.generate],  # no explicit/coverage cases (unbounded), no shrinking
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_openapi_fuzz(case: schemathesis.Case, data: st.DataObject, role: str, tokens: dict[str, str],
                      known_ids: dict[str, list[str]]) -> None:
    for where in (case.path_parameters, case.query, case.body):
        if not isinstance(where, dict):
            continue
        for name in sorted(where):
            if known_ids.get(name) and data.draw(st.integers(0, 3), label=f"known {name}?"):
                where[name] = data.draw(st.sampled_from(known_ids[name]), label=name)
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS,
                           timeout=REQUEST_TIMEOUT)
