"""Key material: from settings, or generated once in the data directory (embedded mode), never logged."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from events.sealed import generate_keypair, public_key_of
from paizhu.settings import Settings


@dataclass(frozen=True, repr=False)
class Keys:
    cipher: dict[str, str] = field(default_factory=dict)
    checkpoint_signing: str = ""
    token_signing: str = ""
    clues_sealing_private: str = ""

    @property
    def clues_sealing_public(self) -> str:
        return public_key_of(self.clues_sealing_private)

    def checkpoint_private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(self.checkpoint_signing))

    def checkpoint_public_key_b64(self) -> str:
        public = self.checkpoint_private_key().public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def __repr__(self) -> str:
        return "Keys(<redacted>)"


def _new_aes_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _new_ed25519() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def _file_key(directory: Path, name: str, make: callable) -> str:  # type: ignore[valid-type]
    path = directory / name
    if path.exists():
        return path.read_text().strip()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    value: str = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def load_keys(settings: Settings) -> Keys:
    """Keys from settings; in embedded mode missing ones are generated under data_dir/keys."""
    generate = settings.mode == "embedded"
    directory = settings.data_dir / "keys"

    def pick(given: object, name: str, make: callable) -> str:  # type: ignore[valid-type]
        if given is not None:
            return given.get_secret_value()  # type: ignore[attr-defined, no-any-return]
        if not generate:
            raise RuntimeError(f"missing key setting for {name} (PAIZHU_...); required in distributed mode")
        return _file_key(directory, name, make)

    cipher = {
        service: pick(settings.cipher_keys.get(service), f"cipher-{service}.key", _new_aes_key)
        for service in settings.cipher_services
    }
    return Keys(
        cipher=cipher,
        checkpoint_signing=pick(settings.checkpoint_signing_key, "checkpoint-ed25519.key", _new_ed25519),
        token_signing=pick(settings.token_signing_key, "token.key", lambda: secrets.token_urlsafe(48)),
        clues_sealing_private=pick(
            settings.clues_sealing_private_key, "clues-sealing-x25519.key", lambda: generate_keypair()[0]
        ),
    )
