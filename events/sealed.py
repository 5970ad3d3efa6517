"""Sealed payload fields: content only the clues service can open (X25519 + HKDF + AES-GCM).

Used where a clue's content must cross the bus (an inspection team's referral, a supervision finding
turned into a clue): the event carries ciphertext for the clues service's public key, never plaintext.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"paizhu-sealed-v1"
_RAW = serialization.Encoding.Raw


def generate_keypair() -> tuple[str, str]:
    """(private, public) as base64 of the raw 32-byte keys."""
    private = X25519PrivateKey.generate()
    private_raw = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public_raw = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    return base64.b64encode(private_raw).decode(), base64.b64encode(public_raw).decode()


def public_key_of(private_b64: str) -> str:
    private = X25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    return base64.b64encode(private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)).decode()


def _key(shared: bytes, ephemeral_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public, info=_INFO).derive(shared)


def seal(content: dict[str, Any], public_b64: str) -> str:
    """Encrypt a JSON-able dict for the holder of the private key."""
    recipient = X25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    nonce = os.urandom(12)
    ciphertext = AESGCM(_key(ephemeral.exchange(recipient), ephemeral_public)).encrypt(
        nonce, json.dumps(content, ensure_ascii=False).encode("utf-8"), _INFO
    )
    return base64.b64encode(ephemeral_public + nonce + ciphertext).decode()


def unseal(token: str, private_b64: str) -> dict[str, Any]:
    raw = base64.b64decode(token)
    ephemeral_public, nonce, ciphertext = raw[:32], raw[32:44], raw[44:]
    private = X25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    plaintext = AESGCM(_key(shared, ephemeral_public)).decrypt(nonce, ciphertext, _INFO)
    result: dict[str, Any] = json.loads(plaintext)
    return result
