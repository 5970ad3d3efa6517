"""Fail closed: a distributed process without a secret it needs does not start; a service without its token
serves nobody."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paizhu.keys import MissingSecretError, Process, check_secrets
from paizhu.settings import Settings
from runtime.server import create_service_app
from services.ledgers.application import LedgersApplication
from tests.unit.security.conftest import all_secrets

ROOT = Path(__file__).resolve().parents[3]
STAFF = {"user_id": "zhang.wei", "name": "张伟", "org_id": "group-mee", "org_kind": "group",
         "roles": ["group_staff"], "group_id": "group-mee", "supervised_unit_ids": ["unit-mee"]}
CALL = {"x-paizhu-principal": json.dumps(STAFF), "x-paizhu-action": "ledgers.read_directive"}
OPERATION = "/operations/GetDirective"
BODY = {"directive_id": "00000000-0000-0000-0000-000000000001"}


# -- the service's HTTP server -------------------------------------------------------------------------
def test_a_service_server_without_a_token_refuses_every_call() -> None:
    client = TestClient(create_service_app(LedgersApplication(), None))
    for headers in (CALL, CALL | {"x-paizhu-service-token": ""}, CALL | {"x-paizhu-service-token": "anything"}):
        answer = client.post(OPERATION, json=BODY, headers=headers)
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"]["code"] == "unauthenticated"


def test_a_wrong_token_is_refused_and_a_non_ascii_one_is_no_500() -> None:
    client = TestClient(create_service_app(LedgersApplication(), "the-right-token-0123456789"))
    for given in (b"", b"the-right-token", b"the-right-token-0123456789x", "令牌".encode(), b"\xff\xfe"):
        answer = client.post(OPERATION, json=BODY, headers=[*CALL.items(), ("x-paizhu-service-token", given)])
        assert answer.status_code == 401, (given, answer.text)
    right = client.post(OPERATION, json=BODY, headers=CALL | {"x-paizhu-service-token": "the-right-token-0123456789"})
    assert right.status_code == 404 and right.json()["error"]["code"] == "not_found"  # it got in


def test_without_the_token_nothing_is_parsed_and_nothing_is_routed() -> None:
    client = TestClient(create_service_app(LedgersApplication(), "the-right-token-0123456789"))
    garbage = client.post(OPERATION, content=b"{not json", headers=CALL)
    assert garbage.status_code == 401, garbage.text  # not 422: an outsider learns nothing about the input
    assert client.post("/operations/NoSuchThing", json={}, headers=CALL).status_code == 401
    assert client.get("/openapi.json").status_code == 401


def test_health_answers_anyone_but_the_position_only_to_the_token() -> None:
    app = LedgersApplication()
    client = TestClient(create_service_app(app, "the-right-token-0123456789"))
    assert client.get("/healthz").json() == {"status": "ok", "service": "ledgers"}
    inside = client.get("/healthz", headers={"x-paizhu-service-token": "the-right-token-0123456789"}).json()
    assert inside["position"] == app.max_position()


# -- which process needs which secret ------------------------------------------------------------------
def settings_with(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PAIZHU_MODE", "distributed")
    return Settings()


NEEDED = [
    (Process("service", "ledgers"), "PAIZHU_SERVICE_TOKEN"),
    (Process("service", "clues"), "PAIZHU_SERVICE_TOKEN"),
    (Process("service", "clues"), "PAIZHU_CIPHER_KEYS"),
    (Process("service", "clues"), "PAIZHU_CLUES_SEALING_PRIVATE_KEY"),
    (Process("service", "inspections"), "PAIZHU_SERVICE_TOKEN"),
    (Process("gateway"), "PAIZHU_SERVICE_TOKEN"),
    (Process("gateway"), "PAIZHU_TOKEN_SIGNING_KEY"),
    (Process("relay", "clues"), "PAIZHU_CIPHER_KEYS"),
    (Process("relay", "units"), "PAIZHU_CHECKPOINT_SIGNING_KEY"),
]


@pytest.mark.parametrize(("process", "variable"), NEEDED, ids=[f"{p}-{v}" for p, v in NEEDED])
def test_a_process_missing_a_secret_it_needs_refuses_naming_it(
    clean_env: pytest.MonkeyPatch, process: Process, variable: str
) -> None:
    env = all_secrets()
    check_secrets(settings_with(env, clean_env), process)  # complete: it starts
    for absent in ("", None):  # unset, or set but empty
        clean_env.delenv(variable)
        if absent is not None:
            clean_env.setenv(variable, absent)
        with pytest.raises(MissingSecretError) as refused:
            check_secrets(settings_with({k: v for k, v in env.items() if k != variable}, clean_env), process)
        assert variable in str(refused.value.code)
        assert all(value not in str(refused.value.code) for value in env.values())  # names, never values


def test_the_inspections_service_needs_the_public_sealing_key_and_only_that(clean_env: pytest.MonkeyPatch) -> None:
    from events.sealed import public_key_of

    env = all_secrets()
    private = env.pop("PAIZHU_CLUES_SEALING_PRIVATE_KEY")
    with pytest.raises(MissingSecretError) as refused:
        check_secrets(settings_with(env, clean_env), Process("service", "inspections"))
    assert "PAIZHU_CLUES_SEALING_PUBLIC_KEY" in str(refused.value.code)
    check_secrets(settings_with(env | {"PAIZHU_CLUES_SEALING_PUBLIC_KEY": public_key_of(private)}, clean_env),
                  Process("service", "inspections"))


@pytest.mark.parametrize(("variable", "value"), [
    ("PAIZHU_SERVICE_TOKEN", "short"),
    ("PAIZHU_CIPHER_KEYS", '{"clues": "not base64!"}'),
    ("PAIZHU_CLUES_SEALING_PRIVATE_KEY", "AAAA"),
])
def test_a_malformed_or_weak_secret_is_refused_at_start(
    clean_env: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    with pytest.raises(MissingSecretError) as refused:
        check_secrets(settings_with(all_secrets() | {variable: value}, clean_env), Process("service", "clues"))
    assert variable in str(refused.value.code)


def test_a_projector_needs_no_secret(clean_env: pytest.MonkeyPatch) -> None:
    check_secrets(settings_with({}, clean_env), Process("projector", "hq_dashboard"))


# -- the command line: a clear message and a non-zero exit, before touching the database -----------------
def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAIZHU_")}
    base |= {"PYTHONPATH": str(ROOT), "PAIZHU_MODE": "distributed", "PAIZHU_PG_PORT": "9",  # nothing listens
             "PAIZHU_KAFKA_BOOTSTRAP": "127.0.0.1:9"}
    return subprocess.run([sys.executable, "-m", "paizhu.cli", *args], cwd=ROOT, env=base | env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", [("service", "clues"), ("gateway",)])
def test_a_process_started_without_the_service_token_exits_with_a_clear_message(command: tuple[str, ...]) -> None:
    env = {k: v for k, v in all_secrets().items() if k != "PAIZHU_SERVICE_TOKEN"}
    done = run_cli(*command, env=env)
    assert done.returncode != 0
    assert "PAIZHU_SERVICE_TOKEN" in done.stderr and "refusing to start" in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert all(value not in done.stderr + done.stdout for value in env.values())
