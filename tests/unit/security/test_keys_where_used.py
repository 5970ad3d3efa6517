"""Keys only where they are used: each distributed process kind holds exactly the secrets its work needs.

The clue cipher key: the clues service and the clues relay (the relay decodes the encrypted store to build the
events it publishes). The sealing private key: the clues service alone. Everyone else: the public sealing key at
most.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from events.sealed import public_key_of, seal, unseal
from paizhu import distributed
from paizhu.keys import Keys, Process, load_keys
from paizhu.services import service_env
from paizhu.settings import Settings
from tests.unit.security.conftest import all_secrets

SERVICES = ("ledgers", "clues", "inspections", "units")
SECRET_VARIABLES = ("CIPHER_KEY", "CLUES_SEALING_PRIVATE_KEY")

EXPECTED: dict[Process, set[str]] = {
    Process("service", "clues"): {"cipher:clues", "clues_sealing_private", "clues_sealing_public"},
    Process("service", "inspections"): {"clues_sealing_public"},
    Process("service", "ledgers"): {"clues_sealing_public"},
    Process("service", "units"): {"clues_sealing_public"},
    Process("relay", "clues"): {"cipher:clues", "checkpoint_signing"},
    Process("relay", "inspections"): {"checkpoint_signing"},
    Process("relay", "ledgers"): {"checkpoint_signing"},
    Process("relay", "units"): {"checkpoint_signing"},
    Process("projector", "hq_dashboard"): set(),
    Process("projector", "inspection_handoff"): set(),
    Process("gateway"): {"token_signing"},
}


@pytest.fixture
def shared(clean_env: pytest.MonkeyPatch) -> tuple[Settings, dict[str, str]]:
    """Distributed settings from one env file holding every secret (the worst case: it still must not spread)."""
    env = all_secrets()
    for name, value in env.items():
        clean_env.setenv(name, value)
    clean_env.setenv("PAIZHU_MODE", "distributed")
    return Settings(), env


def secret_values(env: dict[str, str]) -> dict[str, str]:
    """The values that must stay in their process: the AES key and the X25519 private key."""
    import json

    return {"aes": json.loads(env["PAIZHU_CIPHER_KEYS"])["clues"], "x25519": env["PAIZHU_CLUES_SEALING_PRIVATE_KEY"]}


@pytest.mark.parametrize("process", list(EXPECTED), ids=str)
def test_each_process_kind_holds_only_the_keys_it_uses(shared: tuple[Settings, dict[str, str]],
                                                       process: Process) -> None:
    settings, env = shared
    keys = load_keys(settings, process)
    assert keys.held() == EXPECTED[process]
    values = secret_values(env)
    held_values = {*keys.cipher.values(), keys.clues_sealing_private}
    if "cipher:clues" not in EXPECTED[process]:
        assert values["aes"] not in held_values
    if "clues_sealing_private" not in EXPECTED[process]:
        assert values["x25519"] not in held_values


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_application_is_given_only_its_own_keys(shared: tuple[Settings, dict[str, str]],
                                                             service: str) -> None:
    settings, env = shared
    for process in (Process("service", service), Process("relay", service)):
        app_env = service_env(settings, load_keys(settings, process), service, in_memory=True)
        values = secret_values(env)
        if service == "clues":
            assert app_env["CIPHER_KEY"] == values["aes"]  # the service and its relay open the store
        else:
            assert "CIPHER_KEY" not in app_env and values["aes"] not in app_env.values()
        if process == Process("service", "clues"):
            assert app_env["CLUES_SEALING_PRIVATE_KEY"] == values["x25519"]
        else:
            assert "CLUES_SEALING_PRIVATE_KEY" not in app_env and values["x25519"] not in app_env.values()
        if process == Process("service", "inspections"):  # it seals referrals for the clues service
            assert app_env["CLUES_SEALING_PUBLIC_KEY"] == public_key_of(values["x25519"])


def test_sealing_works_with_the_public_key_alone(clean_env: pytest.MonkeyPatch) -> None:
    env = all_secrets()
    private = env.pop("PAIZHU_CLUES_SEALING_PRIVATE_KEY")
    for name, value in env.items():
        clean_env.setenv(name, value)
    clean_env.setenv("PAIZHU_MODE", "distributed")
    clean_env.setenv("PAIZHU_CLUES_SEALING_PUBLIC_KEY", public_key_of(private))
    keys = load_keys(Settings(), Process("service", "inspections"))
    assert keys.held() == {"clues_sealing_public"}
    assert unseal(seal({"线索": "内容"}, keys.clues_sealing_public), private) == {"线索": "内容"}


class Loaded(Exception):
    """Stops a process function right after it loaded its keys."""


@pytest.mark.parametrize(("start", "process"), [
    (lambda s: distributed.service_process(s, "ledgers"), Process("service", "ledgers")),
    (lambda s: distributed.service_process(s, "clues"), Process("service", "clues")),
    (lambda s: distributed.relay_process(s, "units", threading.Event()), Process("relay", "units")),
    (lambda s: distributed.relay_process(s, "clues", threading.Event()), Process("relay", "clues")),
    (lambda s: distributed.projector_process(s, "hq_dashboard", threading.Event()), Process("projector", "hq_dashboard")),
    (distributed.gateway_runtime, Process("gateway")),
], ids=lambda v: str(v) if isinstance(v, Process) else "")
def test_the_distributed_processes_load_the_keys_of_their_kind(
    shared: tuple[Settings, dict[str, str]], monkeypatch: pytest.MonkeyPatch, start: Any, process: Process
) -> None:
    settings, _ = shared
    loaded: list[Keys] = []

    def recording(settings: Settings, *args: Any, **kwargs: Any) -> Keys:
        loaded.append(load_keys(settings, *args, **kwargs))
        raise Loaded

    monkeypatch.setattr(distributed, "load_keys", recording)
    with pytest.raises(Loaded):
        start(settings)
    assert [keys.held() for keys in loaded] == [EXPECTED[process]]


def test_the_embedded_platform_holds_every_key_in_its_one_process(tmp_path: Any, clean_env: pytest.MonkeyPatch) -> None:
    keys = load_keys(Settings(mode="embedded", data_dir=tmp_path))
    assert keys.held() == {"cipher:clues", "checkpoint_signing", "token_signing", "clues_sealing_private",
                           "clues_sealing_public"}
