"""Authentication: signed tokens (JWT). Embedded: built-in accounts with hashed passwords.
Distributed: tokens of an external OpenID Connect provider, verified with its JWKS."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from authz import Principal
from gateway.accounts import ACCOUNTS, DEMO_PASSWORD, ORGS
from gateway.errors import AuthError

_hasher = PasswordHasher()
_hash_cache: dict[str, str] = {}
_hash_lock = threading.Lock()
ISSUER = "paizhu-embedded"


def demo_password_hashes(path: Path | None) -> dict[str, str]:
    """Hashes of the demo accounts' password, kept in `path` (0600) once generated."""
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


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    user_id = str(claims.get("sub", ""))
    org_id = str(claims.get("org", ""))
    org = ORGS.get(org_id)
    if not user_id or org is None:
        raise AuthError("令牌无效 (token has no known user or organisation)", code="invalid_token")
    roles = frozenset(str(r) for r in claims.get("roles", ()))
    return Principal(
        user_id=user_id,
        name=str(claims.get("name", user_id)),
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

    def __post_init__(self) -> None:
        self._jwks = jwt.PyJWKClient(self.oidc_jwks_url) if self.oidc_jwks_url else None

    def login(self, user_id: str, password: str) -> str:
        account = ACCOUNTS.get(user_id)
        hashed = self.password_hashes.get(user_id)
        try:
            if account is None or hashed is None:
                raise VerificationError("unknown user")
            _hasher.verify(hashed, password)
        except VerificationError as error:
            raise AuthError("用户名或密码错误 (wrong user or password)", code="bad_credentials") from error
        now = int(time.time())
        claims = {
            "sub": account.user_id, "name": account.name, "org": account.org_id, "roles": list(account.roles),
            "iss": ISSUER, "iat": now, "exp": now + self.ttl_minutes * 60,
        }
        return jwt.encode(claims, self.token_key, algorithm="HS256")

    def authenticate(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(
                    token, key, algorithms=["RS256", "ES256", "EdDSA"], audience=self.oidc_audience,
                    issuer=self.oidc_issuer, options={"require": ["exp", "sub"]},
                )
            else:
                claims = jwt.decode(token, self.token_key, algorithms=["HS256"], issuer=ISSUER,
                                    options={"require": ["exp", "sub"]})
        except jwt.ExpiredSignatureError as error:
            raise AuthError("登录已过期 (token expired)", code="token_expired") from error
        except jwt.PyJWTError as error:
            raise AuthError("令牌无效 (invalid token)", code="invalid_token") from error
        return principal_from_claims(claims)
