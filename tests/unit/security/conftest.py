"""Fixtures of the access tests: distributed settings with every secret, as one shared env file gives them."""

from __future__ import annotations

import base64
import os
import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from events.sealed import generate_keypair


def all_secrets() -> dict[str, str]:
    """Every secret of a distributed deployment, as environment variables (what deploy/generate-keys.py gives)."""
    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return {
        "PAIZHU_CIPHER_KEYS": f'{{"clues": "{base64.b64encode(secrets.token_bytes(32)).decode()}"}}',
        "PAIZHU_CHECKPOINT_SIGNING_KEY": base64.b64encode(signing).decode(),
        "PAIZHU_TOKEN_SIGNING_KEY": secrets.token_urlsafe(48),
        "PAIZHU_CLUES_SEALING_PRIVATE_KEY": generate_keypair()[0],
        "PAIZHU_SERVICE_TOKEN": secrets.token_urlsafe(32),
    }


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No PAIZHU_ variable of the machine leaks into the settings a test builds."""
    for name in list(os.environ):
        if name.startswith("PAIZHU_"):
            monkeypatch.delenv(name)
    return monkeypatch
