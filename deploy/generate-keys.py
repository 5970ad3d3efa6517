#!/usr/bin/env python3
"""Print a block of fresh Paizhu secrets in .env format (for Docker Compose's .env or systemd's EnvironmentFile).

    python3 deploy/generate-keys.py --output .env                      # Docker Compose (file created 0600)
    python3 deploy/generate-keys.py --output /etc/paizhu/keys.env      # then merge into paizhu.env
    (umask 077; python3 deploy/generate-keys.py > somewhere.env)       # stdout, if you must

Needs only the standard library and `cryptography` (a dependency of Paizhu). It never writes a key
anywhere but stdout or the --output file, which it creates with mode 0600 and never overwrites.

What each value is (paizhu/settings.py, paizhu/keys.py):
  PAIZHU_CIPHER_KEYS                32-byte AES keys (base64) per encrypted service store, as JSON
  PAIZHU_CHECKPOINT_SIGNING_KEY     Ed25519 private key, raw 32 bytes, base64 (signs checkpoints)
  PAIZHU_TOKEN_SIGNING_KEY          HMAC key of the gateway's own tokens
  PAIZHU_CLUES_SEALING_PRIVATE_KEY  X25519 private key, raw 32 bytes, base64 (opens sealed clue content)
  PAIZHU_SERVICE_TOKEN              shared secret gateway -> services
  PAIZHU_PG_PASSWORD                password of the PostgreSQL role `paizhu`
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import sys
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

RAW = serialization.Encoding.Raw


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def aes_key() -> str:
    return _b64(secrets.token_bytes(32))


def ed25519_private() -> tuple[str, str]:
    """(private, public) as base64 of the raw 32-byte keys."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return _b64(private), _b64(public)


def x25519_private() -> tuple[str, str]:
    """(private, public) as base64 of the raw 32-byte keys (as events/sealed.py generate_keypair)."""
    key = X25519PrivateKey.generate()
    private = key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return _b64(private), _b64(public)


def env_block(cipher_services: list[str]) -> str:
    checkpoint_private, checkpoint_public = ed25519_private()
    sealing_private, sealing_public = x25519_private()
    cipher_keys = json.dumps({service: aes_key() for service in cipher_services})
    values = {
        "PAIZHU_CIPHER_KEYS": cipher_keys,
        "PAIZHU_CHECKPOINT_SIGNING_KEY": checkpoint_private,
        "PAIZHU_TOKEN_SIGNING_KEY": secrets.token_urlsafe(48),
        "PAIZHU_CLUES_SEALING_PRIVATE_KEY": sealing_private,
        "PAIZHU_SERVICE_TOKEN": secrets.token_urlsafe(32),
        "PAIZHU_PG_PASSWORD": secrets.token_urlsafe(24),
    }
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        f"# Paizhu secrets generated {now} by deploy/generate-keys.py.",
        "# Keep this file mode 0600, out of git and out of images; back it up somewhere safe:",
        "# without PAIZHU_CIPHER_KEYS the encrypted stores cannot be read, without the checkpoint key",
        "# no new checkpoint can be signed under the same public key.",
        f"# cipher keys for: {', '.join(cipher_services)} (must match PAIZHU_CIPHER_SERVICES)",
        f"# public keys, not secret: checkpoint Ed25519 {checkpoint_public}  clues sealing X25519 {sealing_public}",
    ]
    for name, value in values.items():
        # single quotes: read literally by Docker Compose, python-dotenv and systemd alike
        if "'" in value or "\n" in value:
            raise ValueError(f"{name}: unexpected character in generated value")
        lines.append(f"{name}='{value}'")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print fresh Paizhu secrets as an .env block.")
    parser.add_argument("--output", "-o", help="write to this new file (mode 0600) instead of stdout")
    parser.add_argument(
        "--cipher-services", default="clues",
        help="comma-separated services whose store is encrypted (default: clues, as PAIZHU_CIPHER_SERVICES)",
    )
    args = parser.parse_args(argv)
    services = [s.strip() for s in args.cipher_services.split(",") if s.strip()]
    block = env_block(services)
    if args.output:
        try:
            fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            print(f"{args.output} exists; not overwriting keys (move it away first)", file=sys.stderr)
            return 1
        with os.fdopen(fd, "w") as handle:
            handle.write(block)
        print(f"wrote {args.output} (mode 0600)", file=sys.stderr)
        return 0
    if sys.stdout.isatty():
        print("warning: secrets printed to a terminal; prefer --output FILE", file=sys.stderr)
    sys.stdout.write(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
