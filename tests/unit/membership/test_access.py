"""Tokens are accepted only for active members of the organisation they name, as the history says."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.auth import Authenticator
from paizhu.settings import Settings
from tests.api_helpers import Api, embedded_api
from tests.unit.membership.support import AUDIENCE, ISSUER, Provider, embedded_token, identity_provider

DIRECTIVE = {
    "reference_number": "国能发〔2025〕7号", "issuer": "国家能源局", "title": "关于加强电力安全监管的通知",
    "issued_on": "2025-02-01", "received_on": "2025-02-02", "lead_department": "电力安全监管司",
}


def directive(group: str, unit: str, number: int = 7) -> dict[str, Any]:
    return {**DIRECTIVE, "group_id": group, "unit_id": unit, "reference_number": f"国能发〔2025〕{number}号"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with embedded_api() as api:
        units = api.platform.apps["units"]
        # an organisation the old hard-coded list never knew, recorded in the history like any other
        units.register_organisation(org_id="group-nea", org_kind="group", name="驻国家能源局纪检监察组",
                                    name_en="Group resident in the National Energy Administration")
        units.register_unit(group_id="group-nea", unit_id="unit-nea", name="国家能源局",
                            party_group_name="国家能源局党组")
        units.add_organisation_member(org_id="group-nea", user_id="gao.lead", name="高峰", roles=["group_leader"])
        units.add_organisation_member(org_id="group-nea", user_id="yu.staff", name="于洋", roles=["group_staff"])
        units.add_organisation_member(org_id="group-mee", user_id="leaving.soon", name="离", roles=["group_staff"])
        api.sync()
        yield api


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with identity_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def oidc(api: Api, provider: Provider) -> Authenticator:
    """The gateway configured as in distributed mode: OpenID Connect tokens, built-in accounts off."""
    current = api.client.app.state.runtime.authenticator
    return Authenticator(token_key=current.token_key, password_hashes={}, oidc_jwks_url=provider.url,
                         oidc_issuer=ISSUER, oidc_audience=AUDIENCE, membership=current.membership,
                         builtin_accounts=False)


@pytest.fixture
def as_distributed(api: Api, oidc: Authenticator) -> Iterator[None]:
    runtime = api.client.app.state.runtime
    embedded = runtime.authenticator
    runtime.authenticator = oidc
    try:
        yield
    finally:
        runtime.authenticator = embedded


def test_a_correctly_signed_token_for_a_user_who_is_no_member_cannot_register_a_directive(api: Api) -> None:
    key = api.client.app.state.runtime.authenticator.token_key
    ghost = embedded_token(key, "ghost.user", "group-mee", ["group_leader"])
    response = api.client.post("/api/ledgers/directives", json=directive("group-mee", "unit-mee"),
                               headers=bearer(ghost))
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "not_a_member"
    # the same signature for a member goes through: what refused the ghost is the membership
    member = embedded_token(key, "zhang.wei", "group-mee", ["group_staff"])
    accepted = api.client.post("/api/ledgers/directives", json=directive("group-mee", "unit-mee", 8),
                               headers=bearer(member))
    assert accepted.status_code == 201, accepted.text


def test_a_member_claiming_another_organisation_or_roles_they_lack_is_refused(api: Api) -> None:
    key = api.client.app.state.runtime.authenticator.token_key
    for token in (embedded_token(key, "zhang.wei", "group-mwr", ["group_staff"]),
                  embedded_token(key, "zhang.wei", "group-mee", ["group_leader"])):
        assert api.client.get("/api/session/me", headers=bearer(token)).status_code == 401


def test_the_roles_are_the_membership_s(api: Api) -> None:
    me = api.get("zhang.wei", "/api/session/me").json()
    assert (me["org_id"], me["org_name"], me["roles"]) == ("group-mee", "驻生态环境部纪检监察组", ["group_staff"])


def test_a_member_removed_from_the_history_is_refused_from_then_on(api: Api) -> None:
    key = api.client.app.state.runtime.authenticator.token_key
    token = embedded_token(key, "leaving.soon", "group-mee", ["group_staff"])
    assert api.client.get("/api/session/me", headers=bearer(token)).status_code == 200
    api.platform.apps["units"].remove_organisation_member(org_id="group-mee", user_id="leaving.soon",
                                                          reason="调离 (transferred)")
    api.sync()
    assert api.client.get("/api/session/me", headers=bearer(token)).status_code == 401


@pytest.mark.usefixtures("as_distributed")
def test_an_oidc_token_of_an_organisation_known_only_to_the_history_works(api: Api, provider: Provider) -> None:
    staff = bearer(provider.token("yu.staff", "group-nea"))
    me = api.client.get("/api/session/me", headers=staff)
    assert me.status_code == 200, me.text
    assert (me.json()["org_name"], me.json()["roles"]) == ("驻国家能源局纪检监察组", ["group_staff"])
    registered = api.client.post("/api/ledgers/directives", json=directive("group-nea", "unit-nea"), headers=staff)
    assert registered.status_code == 201, registered.text
    # the group leader comes from the membership too: a staff member's clue needs one
    clue = api.client.post("/api/clues/clues", headers=staff, json={
        "unit_id": "unit-nea", "source": "petition", "subject_name": "某甲", "subject_unit": "电力安全监管司",
        "subject_post": "副司长", "key_person": False, "categories": ["integrity"],
        "summary": "反映其在项目审批中收受好处。", "assigned": ["yu.staff"], "received_on": "2025-03-03",
    })
    assert clue.status_code == 201, clue.text
    leader = bearer(provider.token("gao.lead", "group-nea"))
    assert api.client.get(f"/api/clues/clues/{clue.json()['clue_id']}", headers=leader).status_code == 200


@pytest.mark.usefixtures("as_distributed")
def test_with_built_in_accounts_off_neither_their_sign_in_nor_their_tokens_work(api: Api, provider: Provider) -> None:
    refused = api.client.post("/api/session/login", json={"user_id": "li.na", "password": "paizhu-demo"})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "builtin_accounts_disabled"
    key = api.client.app.state.runtime.authenticator.token_key
    token = embedded_token(key, "li.na", "group-mee", ["group_leader"])
    assert api.client.get("/api/session/me", headers=bearer(token)).status_code == 401
    ghost = bearer(provider.token("ghost.user", "group-mee", ["group_leader"]))
    assert api.client.post("/api/ledgers/directives", json=directive("group-mee", "unit-mee", 9),
                           headers=ghost).status_code == 401
    assert api.client.get("/api/session/me", headers=bearer(provider.token("li.na", "group-mee"))).status_code == 200


def test_built_in_accounts_are_on_in_embedded_mode_and_off_in_distributed_mode_unless_enabled() -> None:
    assert Settings(mode="embedded").builtin_accounts_enabled()
    assert not Settings(mode="distributed").builtin_accounts_enabled()
    assert Settings(mode="distributed", builtin_accounts=True).builtin_accounts_enabled()
