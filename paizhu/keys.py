"""Key material: from settings, or generated once in the data directory (embedded mode), never logged.

Keys live only where they are used. A distributed process loads the secrets of its own kind (`needs`) and no
others: the clue cipher key only in the clues service and its relay (the relay decodes the encrypted store to
publish its events), the sealing private key only in the clues service; the gateway, the other services, the
other relays and the projectors never hold either. A process missing a secret it needs does not start.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from events.sealed import generate_keypair, public_key_of
from paizhu.settings import Settings

log = logging.getLogger(__name__)

ProcessKind = Literal["service", "relay", "projector", "gateway"]

MIN_SERVICE_TOKEN_CHARS = 16
MIN_TOKEN_SIGNING_CHARS = 32


@dataclass(frozen=True)
class Process:
    """A process of the distributed mode: its kind and, for a service, relay or projector, its name."""

    kind: ProcessKind
    name: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.name}".strip()


@dataclass(frozen=True)
class Needs:
    """The secrets one kind of process uses (and so the only ones it loads)."""

    cipher: frozenset[str] = frozenset()
    """services whose encrypted store the process opens"""
    checkpoint_signing: bool = False
    token_signing: bool = False
    sealing_private: bool = False
    sealing_public: bool = False
    """the process seals clue content (it must have the public key)"""
    sealing_public_optional: bool = False
    """the process may carry the public key (harmless), but does not need it"""
    service_token: bool = False


def needs(settings: Settings, process: Process | None) -> Needs:
    """What a process of this kind uses; `None`: every key (the embedded platform and the store tools)."""
    stores = frozenset(settings.cipher_services)
    if process is None:
        return Needs(cipher=stores, checkpoint_signing=True, token_signing=True, sealing_private=True)
    own_store = stores & {process.name}
    if process.kind == "service":
        return Needs(cipher=own_store, sealing_private=process.name == "clues",
                     sealing_public=process.name == "inspections", sealing_public_optional=True, service_token=True)
    if process.kind == "relay":  # it decodes its service's store to publish it, and signs checkpoints of it
        return Needs(cipher=own_store, checkpoint_signing=True)
    if process.kind == "gateway":  # verifies and issues its own tokens, calls the services
        return Needs(token_signing=True, service_token=True)
    return Needs()  # a projector reads topics and writes its read model: no key at all


class MissingSecretError(SystemExit):
    """A process lacks a secret it needs (or holds a malformed one): it refuses to start.

    A `SystemExit`, so that the command line prints the message, not a traceback, and exits non-zero; no
    `except Exception` on the way can swallow it and go on without the secret.
    """

    def __init__(self, process: Process | None, problems: list[str]) -> None:
        self.problems = problems
        who = f"paizhu {process}" if process else "paizhu"
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{who}: 缺少或无效的密钥，拒绝启动 (missing or invalid secrets, refusing to start):\n{lines}\n"
                         "见 deploy/README.md 与 deploy/generate-keys.py (see deploy/README.md, deploy/generate-keys.py)")


@dataclass(frozen=True, repr=False)
class Keys:
    cipher: dict[str, str] = field(default_factory=dict)
    checkpoint_signing: str = ""
    token_signing: str = ""
    clues_sealing_private: str = ""
    clues_sealing_public_key: str = ""

    @property
    def clues_sealing_public(self) -> str:
        if self.clues_sealing_public_key:
            return self.clues_sealing_public_key
        return public_key_of(self.clues_sealing_private) if self.clues_sealing_private else ""

    def checkpoint_private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(self.checkpoint_signing))

    def checkpoint_public_key_b64(self) -> str:
        public = self.checkpoint_private_key().public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def held(self) -> set[str]:
        """The names of the secrets this process holds (for tests and the start-up log; never their values)."""
        names = {f"cipher:{service}" for service in self.cipher}
        for name in ("checkpoint_signing", "token_signing", "clues_sealing_private"):
            if getattr(self, name):
                names.add(name)
        if self.clues_sealing_public:
            names.add("clues_sealing_public")
        return names

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


def _raw_length(value: str) -> int | None:
    try:
        return len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return None


def _malformed(variable: str, value: str, lengths: tuple[int, ...]) -> str | None:
    if _raw_length(value) in lengths:
        return None
    sizes = "/".join(str(n) for n in lengths)
    return f"{variable}: 格式无效，须为 {sizes} 字节的 base64 (malformed: base64 of {sizes} raw bytes)"


def check_secrets(settings: Settings, process: Process | None) -> None:
    """Refuse to start (MissingSecretError) when a distributed process lacks a secret it needs or holds a bad one."""
    if settings.mode != "distributed":
        return  # embedded: one process; missing keys are generated under data_dir/keys
    need = needs(settings, process)
    problems: list[str] = []

    def missing(variable: str, what: str) -> None:
        problems.append(f"{variable}: 未配置 (not set) — {what}")

    for service in sorted(need.cipher):
        key = settings.cipher_keys.get(service)
        if key is None:
            missing("PAIZHU_CIPHER_KEYS", f"AES key of the {service} store, as JSON {{\"{service}\": \"...\"}}")
        elif problem := _malformed(f"PAIZHU_CIPHER_KEYS[{service}]", key.get_secret_value(), (16, 24, 32)):
            problems.append(problem)
    if need.checkpoint_signing:
        if settings.checkpoint_signing_key is None:
            missing("PAIZHU_CHECKPOINT_SIGNING_KEY", "Ed25519 key that signs checkpoints")
        elif problem := _malformed("PAIZHU_CHECKPOINT_SIGNING_KEY",
                                   settings.checkpoint_signing_key.get_secret_value(), (32,)):
            problems.append(problem)
    if need.token_signing:
        if settings.token_signing_key is None:
            missing("PAIZHU_TOKEN_SIGNING_KEY", "key of the gateway's tokens")
        elif len(settings.token_signing_key.get_secret_value()) < MIN_TOKEN_SIGNING_CHARS:
            problems.append(f"PAIZHU_TOKEN_SIGNING_KEY: 过短 (too short: at least {MIN_TOKEN_SIGNING_CHARS} "
                            "characters)")
    if need.sealing_private:
        if settings.clues_sealing_private_key is None:
            missing("PAIZHU_CLUES_SEALING_PRIVATE_KEY", "X25519 key that opens sealed clue content")
        elif problem := _malformed("PAIZHU_CLUES_SEALING_PRIVATE_KEY",
                                   settings.clues_sealing_private_key.get_secret_value(), (32,)):
            problems.append(problem)
    if need.sealing_public or (need.sealing_public_optional and settings.clues_sealing_public_key):
        public = settings.clues_sealing_public_key
        if public is None and settings.clues_sealing_private_key is None:
            missing("PAIZHU_CLUES_SEALING_PUBLIC_KEY", "X25519 public key that seals referred clue content")
        elif public is not None and (problem := _malformed("PAIZHU_CLUES_SEALING_PUBLIC_KEY", public, (32,))):
            problems.append(problem)
        elif public is None and settings.clues_sealing_private_key is not None and (
            problem := _malformed("PAIZHU_CLUES_SEALING_PRIVATE_KEY",
                                  settings.clues_sealing_private_key.get_secret_value(), (32,))
        ):
            problems.append(problem)
    if need.service_token:
        if settings.service_token is None:
            missing("PAIZHU_SERVICE_TOKEN", "shared secret between the gateway and the services")
        elif len(settings.service_token.get_secret_value()) < MIN_SERVICE_TOKEN_CHARS:
            problems.append(f"PAIZHU_SERVICE_TOKEN: 过短 (too short: at least {MIN_SERVICE_TOKEN_CHARS} characters)")
    if problems:
        raise MissingSecretError(process, problems)


def _given_but_unused(settings: Settings, need: Needs) -> list[str]:
    unused = []
    if set(settings.cipher_keys) - need.cipher:
        unused.append("PAIZHU_CIPHER_KEYS" + ("" if not need.cipher else f" (beyond {sorted(need.cipher)})"))
    if settings.checkpoint_signing_key is not None and not need.checkpoint_signing:
        unused.append("PAIZHU_CHECKPOINT_SIGNING_KEY")
    if settings.token_signing_key is not None and not need.token_signing:
        unused.append("PAIZHU_TOKEN_SIGNING_KEY")
    if settings.clues_sealing_private_key is not None and not need.sealing_private:
        unused.append("PAIZHU_CLUES_SEALING_PRIVATE_KEY")
    if settings.service_token is not None and not need.service_token:
        unused.append("PAIZHU_SERVICE_TOKEN")
    return unused


def load_keys(settings: Settings, process: Process | None = None) -> Keys:
    """The keys this process uses, from settings; in embedded mode missing ones are generated under data_dir/keys.

    `process=None` loads every key (the embedded platform, `paizhu verify`/`checkpoint`/`rebuild`). A
    distributed process passes its kind: it gets only what that kind uses, and refuses to start without it.
    """
    check_secrets(settings, process)
    need = needs(settings, process)
    generate = settings.mode == "embedded"
    directory = settings.data_dir / "keys"

    def pick(given: object, name: str, make: callable) -> str:  # type: ignore[valid-type]
        if given is not None:
            return given.get_secret_value()  # type: ignore[attr-defined, no-any-return]
        if not generate:
            raise MissingSecretError(process, [f"missing key setting for {name} (PAIZHU_...); required in "
                                               "distributed mode"])
        return _file_key(directory, name, make)

    if process is not None and settings.mode == "distributed":
        unused = _given_but_unused(settings, need)
        if unused:  # the deployment hands this process more than it needs: say so, and do not load them
            log.warning("paizhu %s ignores secrets it does not use (give them only to the processes that do): %s",
                        process, ", ".join(unused))
    cipher = {
        service: pick(settings.cipher_keys.get(service), f"cipher-{service}.key", _new_aes_key)
        for service in settings.cipher_services if service in need.cipher
    }
    private = ""
    if need.sealing_private:
        private = pick(settings.clues_sealing_private_key, "clues-sealing-x25519.key", lambda: generate_keypair()[0])
    public = ""
    if not private and (need.sealing_public or need.sealing_public_optional):
        # a sealing process needs only the public half: given, or derived from a private key it then forgets
        if settings.clues_sealing_public_key:
            public = settings.clues_sealing_public_key
        elif settings.clues_sealing_private_key is not None:
            given = settings.clues_sealing_private_key.get_secret_value()
            public = public_key_of(given) if _raw_length(given) == 32 else ""
    return Keys(
        cipher=cipher,
        checkpoint_signing=(pick(settings.checkpoint_signing_key, "checkpoint-ed25519.key", _new_ed25519)
                            if need.checkpoint_signing else ""),
        token_signing=(pick(settings.token_signing_key, "token.key", lambda: secrets.token_urlsafe(48))
                       if need.token_signing else ""),
        clues_sealing_private=private,
        clues_sealing_public_key=public,
    )


class KeyNotFoundError(SystemExit):
    """A store tool (`paizhu verify`, `replay`, `evidence export`) lacks a key it reads: it stops, saying which.

    It never makes a new key: a new checkpoint key would make every signed checkpoint look forged, a new cipher
    key would make every encrypted event look altered.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"paizhu: 找不到所需的密钥 (keys not found):\n{lines}")


def reading_keys(settings: Settings) -> Keys:
    """The keys that reading and verifying the stores takes: the checkpoint key and the stores' cipher keys.

    From settings, else from the files under data_dir/keys; never generated (KeyNotFoundError instead).
    """
    directory = settings.data_dir / "keys"
    problems: list[str] = []

    def read(given: object, variable: str, name: str) -> str:
        if given is not None:
            return given.get_secret_value()  # type: ignore[attr-defined, no-any-return]
        path = directory / name
        if settings.mode == "embedded" and path.is_file():
            return path.read_text().strip()
        where = f"{path} 或 {variable}" if settings.mode == "embedded" else variable
        problems.append(f"{where}: 不存在 (missing)")
        return ""

    cipher = {service: read(settings.cipher_keys.get(service), "PAIZHU_CIPHER_KEYS", f"cipher-{service}.key")
              for service in settings.cipher_services}
    checkpoint = read(settings.checkpoint_signing_key, "PAIZHU_CHECKPOINT_SIGNING_KEY", "checkpoint-ed25519.key")
    if checkpoint and (problem := _malformed("checkpoint key", checkpoint, (32,))):
        problems.append(problem)
    if problems:
        raise KeyNotFoundError(problems)
    return Keys(cipher=cipher, checkpoint_signing=checkpoint)
