"""Authentication: signed tokens (JWT). Embedded: built-in accounts with hashed passwords. Distributed: tokens
of an external OpenID Connect provider, verified with its JWKS (built-in accounts only where a setting enables
them). Either way a token is accepted only for an active member of the organisation it names, as the
membership read model says; the roles are the membership's."""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from authz import Principal
from gateway.accounts import ACCOUNTS, DEMO_PASSWORD, MembershipSource, SeedMembership
from gateway.errors import AuthError
from gateway.sign_in_limits import SignInLimiter, SignInLimits

_hasher = PasswordHasher()
_hash_cache: dict[str, str] = {}
_hash_lock = threading.Lock()
_dummy: list[str] = []
ISSUER = "paizhu-embedded"
BAD_CREDENTIALS = "用户名或密码错误 (wrong user or password)"


def demo_password_hashes(path: Path | None) -> dict[str, str]:
    """Hashes of the built-in accounts' password, kept in `path` (0600) once generated."""
    if path is not None and path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    with _hash_lock:
        if not _hash_cache:
            one = _hasher.hash(DEMO_PASSWORD)
            _hash_cache.update({user: one for user in ACCOUNTS})
    hashes = dict(_hash_cache)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(hashes, handle)
    return hashes


def _dummy_hash() -> str:
    """A hash of nothing anyone knows: an unknown user is checked against it, so that sign-in takes as long
    as for a known user with a wrong password (same hasher, same cost)."""
    with _hash_lock:
        if not _dummy:
            _dummy.append(_hasher.hash(secrets.token_urlsafe(16)))
        return _dummy[0]


def principal_from_claims(claims: dict[str, Any], membership: MembershipSource | None = None) -> Principal:
    """The principal of a verified token: only an active member of the organisation the token names.

    The roles are the membership's (narrowed to those the token claims, when it claims any)."""
    membership = membership if membership is not None else SeedMembership()
    user_id = str(claims.get("sub", ""))
    org_id = str(claims.get("org", ""))
    if not user_id or not org_id:
        raise AuthError("令牌无效 (token has no user or organisation)", code="invalid_token")
    found = membership.membership(user_id, org_id)
    claimed = claims.get("roles")
    roles = frozenset(found[0].roles) if found is not None else frozenset()
    if claimed:
        roles &= frozenset(str(r) for r in claimed)
    if found is None or not roles:
        raise AuthError("该用户不是此机构的在职成员 (not an active member of the organisation)", code="not_a_member")
    member, org = found
    return Principal(
        user_id=user_id,
        name=member.name,
        org_id=org.org_id,
        org_kind=org.kind,
        roles=roles,
        group_id=org.org_id if org.kind == "group" else None,
        unit_id=org.unit_id,
        supervised_unit_ids=frozenset(org.supervises),
    )


@dataclass
class Authenticator:
    token_key: str
    password_hashes: dict[str, str]
    ttl_minutes: int = 480
    oidc_jwks_url: str | None = None
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    membership: MembershipSource = field(default_factory=SeedMembership)
    builtin_accounts: bool = True
    """Built-in accounts (password sign-in, tokens this gateway signs): embedded, or enabled by a setting."""
    limiter: SignInLimits = field(default_factory=SignInLimiter)

    def __post_init__(self) -> None:
        self._jwks = jwt.PyJWKClient(self.oidc_jwks_url) if self.oidc_jwks_url else None

    def login(self, user_id: str, password: str, client: str = "") -> str:
        """A token for a built-in account's password; raises `SignInThrottled` after too many failures."""
        if not self.builtin_accounts:
            raise AuthError("内置账号已停用，请通过统一身份认证登录 (built-in accounts are disabled; sign in with "
                            "the identity provider)", code="builtin_accounts_disabled")
        keys = (f"account:{user_id}", f"address:{client}")
        self.limiter.admit(*keys)  # counted as a failure of the account unless it succeeds
        memberships = self.membership.memberships(user_id)
        hashed = self.password_hashes.get(user_id)
        try:
            verified = _hasher.verify(hashed or _dummy_hash(), password) and hashed is not None
        except (VerificationError, InvalidHashError):
            verified = False
        if not verified or not memberships:
            self.limiter.failed(*keys[1:])
            raise AuthError(BAD_CREDENTIALS, code="bad_credentials")
        self.limiter.succeeded(keys[0])
        member = memberships[0]
        now = int(time.time())
        claims = {
            "sub": member.user_id, "name": member.name, "org": member.org_id, "roles": list(member.roles),
            "iss": ISSUER, "iat": now, "exp": now + self.ttl_minutes * 60,
        }
        return jwt.encode(claims, self.token_key, algorithm="HS256")

    def authenticate(self, token: str) -> Principal:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm == "HS256":
                if not self.builtin_accounts:
                    raise AuthError("内置账号已停用 (built-in accounts are disabled)", code="invalid_token")
                claims = jwt.decode(token, self.token_key, algorithms=["HS256"], issuer=ISSUER,
                                    options={"require": ["exp", "sub"]})
            elif self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(
                    token, key, algorithms=["RS256", "ES256", "EdDSA"], audience=self.oidc_audience,
                    issuer=self.oidc_issuer, options={"require": ["exp", "sub"]},
                )
            else:
                raise AuthError("令牌无效 (invalid token)", code="invalid_token")
        except jwt.ExpiredSignatureError as error:
            raise AuthError("登录已过期 (token expired)", code="token_expired") from error
        except jwt.PyJWTError as error:
            raise AuthError("令牌无效 (invalid token)", code="invalid_token") from error
        return principal_from_claims(claims, self.membership)
