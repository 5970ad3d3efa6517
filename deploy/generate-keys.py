#!/usr/bin/env python3
"""Print a block of fresh Paizhu secrets in .env format (for Docker Compose's .env or systemd's EnvironmentFile).

    python3 deploy/generate-keys.py --output .env                      # Docker Compose (file created 0600)
    python3 deploy/generate-keys.py --split /etc/paizhu/secrets         # systemd: one file per process
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
  PAIZHU_CLUES_SEALING_PUBLIC_KEY   X25519 public key of the above (not secret: the inspections service seals)

Each process gets only the secrets it uses (`secrets_of` below states paizhu/keys.py `needs`, and a test
keeps the two equal): with `--split DIR` one file per process (`gateway.env`, `service-clues.env`,
`relay-ledgers.env`, ..., `common.env` with the database password every process needs, and `tools.env`
with everything for `paizhu verify`/`checkpoint`/`rebuild`), each mode 0600.
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


def _public_of_checkpoint(private_b64: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    return _b64(key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw))


def x25519_private() -> tuple[str, str]:
    """(private, public) as base64 of the raw 32-byte keys (as events/sealed.py generate_keypair)."""
    key = X25519PrivateKey.generate()
    private = key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return _b64(private), _b64(public)


SERVICES = ("ledgers", "clues", "inspections", "units")


def secrets_of(process: str, cipher_services: list[str]) -> tuple[str, ...]:
    """The variables one process gets: `gateway`, `service-<name>`, `relay-<name>`, `projector-<name>`
    (none), `common` (every process) or `tools` (all). The same decision as paizhu/keys.py `needs`."""
    kind, _, name = process.partition("-")
    own_store = ("PAIZHU_CIPHER_KEYS",) if name in cipher_services else ()
    if kind == "gateway":
        return ("PAIZHU_TOKEN_SIGNING_KEY", "PAIZHU_SERVICE_TOKEN")
    if kind == "service":
        sealing = {"clues": ("PAIZHU_CLUES_SEALING_PRIVATE_KEY",),
                   "inspections": ("PAIZHU_CLUES_SEALING_PUBLIC_KEY",)}.get(name, ())
        return (*own_store, *sealing, "PAIZHU_SERVICE_TOKEN")
    if kind == "relay":
        return (*own_store, "PAIZHU_CHECKPOINT_SIGNING_KEY")
    if kind == "common":
        return ("PAIZHU_PG_PASSWORD",)
    if kind == "tools":
        return ("PAIZHU_CIPHER_KEYS", "PAIZHU_CHECKPOINT_SIGNING_KEY", "PAIZHU_CLUES_SEALING_PRIVATE_KEY")
    return ()


def processes() -> list[str]:
    return ["common", "gateway", *(f"{kind}-{s}" for kind in ("service", "relay") for s in SERVICES), "tools"]


def generate(cipher_services: list[str]) -> dict[str, str]:
    checkpoint_private, _ = ed25519_private()
    sealing_private, sealing_public = x25519_private()
    return {
        "PAIZHU_CIPHER_KEYS": json.dumps({service: aes_key() for service in cipher_services}),
        "PAIZHU_CHECKPOINT_SIGNING_KEY": checkpoint_private,
        "PAIZHU_TOKEN_SIGNING_KEY": secrets.token_urlsafe(48),
        "PAIZHU_CLUES_SEALING_PRIVATE_KEY": sealing_private,
        "PAIZHU_CLUES_SEALING_PUBLIC_KEY": sealing_public,
        "PAIZHU_SERVICE_TOKEN": secrets.token_urlsafe(32),
        "PAIZHU_PG_PASSWORD": secrets.token_urlsafe(24),
    }


def env_block(cipher_services: list[str], values: dict[str, str] | None = None,
              only: tuple[str, ...] | None = None) -> str:
    values = values or generate(cipher_services)
    checkpoint_public = _public_of_checkpoint(values["PAIZHU_CHECKPOINT_SIGNING_KEY"])
    sealing_public = values["PAIZHU_CLUES_SEALING_PUBLIC_KEY"]
    if only is not None:
        values = {name: value for name, value in values.items() if name in only}
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
    parser.add_argument("--split", metavar="DIR",
                        help="write one file per process into this new directory (systemd: /etc/paizhu/secrets)")
    args = parser.parse_args(argv)
    services = [s.strip() for s in args.cipher_services.split(",") if s.strip()]
    if args.split:
        return write_split(args.split, services)
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


def write_split(directory: str, cipher_services: list[str]) -> int:
    """One env file per process, each with only its secrets, from one generation of the keys."""
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        print(f"{directory} exists; not overwriting keys (move it away first)", file=sys.stderr)
        return 1
    values = generate(cipher_services)
    for process in processes():
        path = os.path.join(directory, f"{process}.env")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(env_block(cipher_services, values, secrets_of(process, cipher_services)))
    print(f"wrote {len(processes())} files into {directory} (mode 0600 each)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
