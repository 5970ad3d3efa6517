"""For the membership tests: a stand-in OpenID Connect provider and tokens signed like the gateway's own."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://idp.membership.test"
AUDIENCE = "paizhu-gateway"


@dataclass
class Provider:
    """Publishes a JWKS over HTTP and signs RS256 tokens for any claims."""

    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    kid: str = "membership-key"
    url: str = ""

    def token(self, user_id: str, org_id: str, roles: list[str] | None = None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {"sub": user_id, "org": org_id, "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                                  "exp": now + 600}
        if roles is not None:
            claims["roles"] = roles
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


@contextmanager
def identity_provider() -> Iterator[Provider]:
    provider = Provider()
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": provider.kid, "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


def embedded_token(key: str, user_id: str, org_id: str, roles: list[str]) -> str:
    """A token signed with the gateway's own key, as its sign-in would issue."""
    now = int(time.time())
    return jwt.encode({"sub": user_id, "name": user_id, "org": org_id, "roles": roles, "iss": "paizhu-embedded",
                       "iat": now, "exp": now + 600}, key, algorithm="HS256")
