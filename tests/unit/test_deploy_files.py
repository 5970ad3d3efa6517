"""The deployment files (docker-compose.yml, Dockerfile, deploy/) agree with the code they run."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from events.topics import DEAD_LETTER_TOPIC, SERVICES, topic_for
from paizhu.settings import Settings
from projections.catalog import PROJECTIONS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
GENERATE_KEYS = DEPLOY / "generate-keys.py"
KEY_SETTINGS = {
    "PAIZHU_CIPHER_KEYS", "PAIZHU_CHECKPOINT_SIGNING_KEY", "PAIZHU_TOKEN_SIGNING_KEY",
    "PAIZHU_CLUES_SEALING_PRIVATE_KEY", "PAIZHU_SERVICE_TOKEN",
}


def cli_commands() -> set[str]:
    from paizhu.cli import app

    names = set()
    for info in app.registered_commands:
        assert info.callback is not None
        names.add(info.name or info.callback.__name__.lower().replace("_", "-"))
    return names


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def paizhu_processes(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The compose services built from ./Dockerfile (entrypoint `paizhu`), except the tools profile."""
    return {
        name: spec for name, spec in compose["services"].items()
        if "build" in spec and "tools" not in spec.get("profiles", [])
    }


def default_port(service: str) -> int:
    return int(Settings(_env_file=None).service_url(service).rsplit(":", 1)[1])  # type: ignore[call-arg]


# -- docker-compose.yml ------------------------------------------------------------------------

def test_infrastructure_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:16.6-bookworm"
    assert "healthcheck" in postgres and postgres["volumes"]
    kafka = services["kafka"]
    assert kafka["image"] == "apache/kafka:3.9.0"
    assert "healthcheck" in kafka
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert str(kafka["environment"]["KAFKA_LOG_RETENTION_MS"]) == "-1"
    collector = services["otel-collector"]
    assert collector["image"].startswith("otel/opentelemetry-collector-contrib")
    assert any(v.startswith("./deploy/otel-collector.yaml:") for v in collector["volumes"])
    assert set(compose["volumes"]) >= {"postgres-data", "kafka-data"}


def test_every_paizhu_subcommand_in_compose_exists(compose: dict[str, Any]) -> None:
    commands = cli_commands()
    built = {name: spec for name, spec in compose["services"].items() if "build" in spec}
    assert built
    for name, spec in built.items():
        assert spec["build"]["dockerfile"] == "Dockerfile", name
        assert spec["command"][0] in commands | {"--help"}, f"{name}: {spec['command']}"


def test_every_service_has_a_service_and_a_relay(paizhu_processes: dict[str, dict[str, Any]]) -> None:
    for service in SERVICES:
        spec = paizhu_processes[service]
        assert spec["command"] == ["service", service, "--host", "0.0.0.0"]  # noqa: S104
        assert str(default_port(service)) in [str(p) for p in spec["expose"]]
        assert "ports" not in spec, "service ports stay internal"
        assert paizhu_processes[f"relay-{service}"]["command"] == ["relay", service]
        assert paizhu_processes[f"relay-{service}"]["depends_on"][service]["condition"] == "service_healthy"


def test_every_projection_has_a_projector(paizhu_processes: dict[str, dict[str, Any]]) -> None:
    for projection in PROJECTIONS:
        spec = paizhu_processes[f"projector-{projection.replace('_', '-')}"]
        assert spec["command"] == ["project", projection]


def test_nothing_runs_that_the_code_does_not_know(paizhu_processes: dict[str, dict[str, Any]]) -> None:
    for name, spec in paizhu_processes.items():
        command = spec["command"]
        if command[0] in ("service", "relay"):
            assert command[1] in SERVICES, name
        elif command[0] == "project":
            assert command[1] in PROJECTIONS, name
        else:
            assert command[0] == "gateway", name


def test_gateway(paizhu_processes: dict[str, dict[str, Any]]) -> None:
    gateway = paizhu_processes["gateway"]
    assert gateway["command"][:3] == ["gateway", "--host", "0.0.0.0"]  # noqa: S104
    assert any(str(p).endswith(":8000") or str(p) == "8000" for p in gateway["ports"])
    for service in SERVICES:
        assert gateway["environment"][f"PAIZHU_{service.upper()}_URL"] == f"http://{service}:{default_port(service)}"
        assert gateway["depends_on"][service]["condition"] == "service_healthy"


def test_environment_matches_settings(paizhu_processes: dict[str, dict[str, Any]]) -> None:
    fields = set(Settings.model_fields)
    service_names = set()
    for name, spec in paizhu_processes.items():
        env = spec["environment"]
        assert env["PAIZHU_MODE"] == "distributed", name
        assert env["PAIZHU_KAFKA_BOOTSTRAP"] == "kafka:9092", name
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318", name
        for variable in env:
            if variable.startswith("PAIZHU_"):
                assert variable.removeprefix("PAIZHU_").lower() in fields, f"{name}: unknown setting {variable}"
        service_names.add(env["OTEL_SERVICE_NAME"])
        assert spec["depends_on"]["postgres"]["condition"] == "service_healthy", name
        if spec["command"][0] != "gateway":
            assert spec["depends_on"]["kafka"]["condition"] == "service_healthy", name
    assert len(service_names) == len(paizhu_processes), "one OTEL_SERVICE_NAME per process"


NEED_VARIABLES = {
    "checkpoint_signing": "PAIZHU_CHECKPOINT_SIGNING_KEY", "token_signing": "PAIZHU_TOKEN_SIGNING_KEY",
    "sealing_private": "PAIZHU_CLUES_SEALING_PRIVATE_KEY", "sealing_public": "PAIZHU_CLUES_SEALING_PUBLIC_KEY",
    "service_token": "PAIZHU_SERVICE_TOKEN",
}


def needed_variables(kind: str, name: str) -> set[str]:
    """The key variables paizhu/keys.py says this process uses (and so the only ones it may get)."""
    from paizhu.keys import Process, needs

    process_kind = {"project": "projector"}.get(kind, kind)
    need = needs(Settings(_env_file=None), Process(process_kind, name))  # type: ignore[arg-type, call-arg]
    found = {variable for field, variable in NEED_VARIABLES.items() if getattr(need, field)}
    return found | ({"PAIZHU_CIPHER_KEYS"} if need.cipher else set())


def load_generate_keys() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_keys", GENERATE_KEYS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_process_gets_only_the_secrets_it_uses(paizhu_processes: dict[str, dict[str, Any]]) -> None:
    for name, spec in paizhu_processes.items():
        command = spec["command"]
        kind, process = command[0], command[1] if len(command) > 1 and not command[1].startswith("-") else ""
        given = (KEY_SETTINGS | {"PAIZHU_CLUES_SEALING_PUBLIC_KEY"}) & set(spec["environment"])
        assert given == needed_variables(kind, process), name
    clues, gateway = paizhu_processes["clues"]["environment"], paizhu_processes["gateway"]["environment"]
    assert "PAIZHU_CLUES_SEALING_PRIVATE_KEY" in clues and "PAIZHU_CIPHER_KEYS" in clues
    assert not {"PAIZHU_CLUES_SEALING_PRIVATE_KEY", "PAIZHU_CIPHER_KEYS"} & set(gateway)


def test_generate_keys_splits_the_secrets_as_the_processes_use_them() -> None:
    module = load_generate_keys()
    for process in module.processes():
        kind, _, name = process.partition("-")
        if kind in ("service", "relay", "gateway"):
            assert set(module.secrets_of(process, ["clues"])) == needed_variables(kind, name), process


def test_split_files_hold_only_their_process_secrets(tmp_path: Path) -> None:
    target = tmp_path / "secrets"
    assert load_generate_keys().main(["--split", str(target)]) == 0
    from dotenv import dotenv_values

    files = {p.stem: dotenv_values(p) for p in target.iterdir()}
    assert set(files) >= {"common", "gateway", "service-clues", "relay-clues", "tools"}
    assert all((target / f"{stem}.env").stat().st_mode & 0o777 == 0o600 for stem in files)
    assert set(files["gateway"]) == {"PAIZHU_TOKEN_SIGNING_KEY", "PAIZHU_SERVICE_TOKEN"}
    assert "PAIZHU_CLUES_SEALING_PRIVATE_KEY" not in files["service-inspections"]
    assert files["service-clues"]["PAIZHU_SERVICE_TOKEN"] == files["gateway"]["PAIZHU_SERVICE_TOKEN"]
    assert load_generate_keys().main(["--split", str(target)]) == 1, "never overwrites"


def test_secrets_come_from_dotenv_only(compose: dict[str, Any], paizhu_processes: dict[str, dict[str, Any]]) -> None:
    for name, spec in paizhu_processes.items():
        env = spec["environment"]
        keys = (KEY_SETTINGS | {"PAIZHU_CLUES_SEALING_PUBLIC_KEY"}) & set(env)
        if spec["command"][0] == "project":
            assert not keys, f"{name} needs no keys"
        for variable in [*keys, "PAIZHU_PG_PASSWORD"]:
            value = env[variable]
            assert value.startswith("${" + variable + ":?") and value.endswith("}"), f"{name}: {variable} not from .env"
    password = compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${PAIZHU_PG_PASSWORD:?")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and "**/.env" in ignored


# -- Dockerfile, systemd, collector, topics ----------------------------------------------------

# an exact release: PostgreSQL numbers them major.minor, everything else major.minor.patch; a variant may follow
EXACT_TAG = {"postgres": r"\d+\.\d+", "default": r"\d+\.\d+\.\d+"}


def exactly_pinned(image: str) -> bool:
    name, _, tag = image.rpartition(":")
    release = EXACT_TAG.get(name, EXACT_TAG["default"])
    return bool(name) and "@sha256:" not in image and re.fullmatch(release + r"(-[a-z0-9][a-z0-9.-]*)?", tag) is not None


def test_exactly_pinned() -> None:
    assert exactly_pinned("postgres:16.6") and exactly_pinned("postgres:16.6-bookworm")
    assert exactly_pinned("python:3.11.11-slim-bookworm") and exactly_pinned("apache/kafka:3.9.0")
    for moving in ("postgres:16", "postgres", "postgres:latest", "python:3.11-slim", "apache/kafka:3.9",
                   "otel/opentelemetry-collector-contrib:latest", "apache/kafka:3.9.0-latest:x"):
        assert not exactly_pinned(moving), moving


def test_every_image_is_pinned_to_an_exact_version(compose: dict[str, Any]) -> None:
    """`postgres:16` moves under a deployment; every image the deploy files pull names one release."""
    pulled = {name: spec["image"] for name, spec in compose["services"].items() if "build" not in spec}
    assert set(pulled) >= {"postgres", "kafka", "kafka-topics", "otel-collector"}
    for name, image in pulled.items():
        assert exactly_pinned(image), f"{name}: {image}"
    for overlay in DEPLOY.glob("*.y*ml"):
        for name, spec in (yaml.safe_load(overlay.read_text()).get("services") or {}).items():
            if "image" in spec:
                assert exactly_pinned(spec["image"]), f"{overlay.name} {name}: {spec['image']}"
    bases = re.findall(r"^FROM (\S+)", (ROOT / "Dockerfile").read_text(), re.M)
    assert bases and all(exactly_pinned(base) for base in bases), bases


def test_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    pythons = re.findall(r"^FROM python:3\.(\d+)\.\d+-slim-bookworm(?: AS \w+)?$", text, re.M)
    assert len(pythons) == 2 and len(set(pythons)) == 1, "build and runtime on one exact Python"
    assert 11 <= int(pythons[0]) <= 13, "a Python that pyproject.toml's requires-python allows"
    # the dependencies come from the lock, with their hashes; the project's wheel brings none of its own
    assert re.search(r"^RUN pip install --require-hashes -r \S*run\.txt", text, re.M)
    assert re.search(r"^RUN pip install --no-deps /wheels/\*\.whl", text, re.M)
    assert re.search(r'^ENTRYPOINT \["paizhu"\]$', text, re.M)
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and not users[-1].startswith(("root", "0"))


def test_dockerfile_copies_every_package_the_wheel_includes() -> None:
    include = re.search(r"^include = \[(.*)\]$", (ROOT / "pyproject.toml").read_text(), re.M)
    assert include
    packages = set(re.findall(r'"(\w+)\*"', include.group(1)))
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (ROOT / "Dockerfile").read_text(), re.M))
    assert packages == copied


def test_systemd_units_run_existing_subcommands() -> None:
    commands = cli_commands()
    units = {p.name: p.read_text() for p in SYSTEMD.glob("*.service")}
    assert set(units) == {
        "paizhu-service@.service", "paizhu-relay@.service", "paizhu-projector@.service", "paizhu-gateway.service",
    }
    expected = {
        "paizhu-service@.service": ["service", "%i"], "paizhu-relay@.service": ["relay", "%i"],
        "paizhu-projector@.service": ["project", "%i"], "paizhu-gateway.service": ["gateway"],
    }
    for name, text in units.items():
        (exec_start,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
        argv = exec_start.split()
        assert argv[0].endswith("/paizhu"), name
        assert argv[1] in commands, name
        assert argv[1:1 + len(expected[name])] == expected[name], name
        assert "EnvironmentFile=/etc/paizhu/paizhu.env" in text.splitlines(), name
        secrets_file = {"paizhu-gateway.service": "gateway"}.get(name, f"{argv[1]}-%i")
        if argv[1] != "project":  # projectors hold no secret
            assert f"EnvironmentFile=/etc/paizhu/secrets/{secrets_file}.env" in text.splitlines(), name
        else:
            assert "/etc/paizhu/secrets/" not in text, name
        assert "Restart=always" in text.splitlines(), name
        assert re.search(r"^User=paizhu$", text, re.M), name


def test_otel_collector_config() -> None:
    config = yaml.safe_load((DEPLOY / "otel-collector.yaml").read_text())
    protocols = config["receivers"]["otlp"]["protocols"]
    assert protocols["http"]["endpoint"].endswith(":4318") and protocols["grpc"]["endpoint"].endswith(":4317")
    assert "batch" in config["processors"] and "debug" in config["exporters"]
    for pipeline in config["service"]["pipelines"].values():
        assert pipeline["receivers"] == ["otlp"] and "batch" in pipeline["processors"]
        assert set(pipeline["exporters"]) <= set(config["exporters"])


def test_create_topics_script_creates_every_topic(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    for tool in ("kafka-topics.sh", "kafka-configs.sh"):
        fake = tmp_path / tool
        fake.write_text(f'#!/usr/bin/env bash\necho "{tool} $*" >> "{calls}"\n')
        fake.chmod(0o755)
    env = {"PATH": os.environ["PATH"], "KAFKA_BIN": str(tmp_path), "BOOTSTRAP": "k:9092"}
    subprocess.run(["bash", str(DEPLOY / "kafka" / "create-topics.sh")], env=env, check=True)
    lines = calls.read_text().splitlines()
    created = [re.search(r"--topic (\S+)", line).group(1) for line in lines if "--create" in line]  # type: ignore[union-attr]
    assert created == [*map(topic_for, SERVICES), DEAD_LETTER_TOPIC]
    for line in lines:
        if "--create" in line:
            assert "--replication-factor 3" in line and "retention.ms=-1" in line
            assert "min.insync.replicas=2" in line and "--partitions 1" in line


# -- deploy/generate-keys.py --------------------------------------------------------------------

def parse_env_block(text: str) -> dict[str, str]:
    from dotenv import dotenv_values

    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, quoted = line.partition("=")
            assert quoted.startswith("'") and quoted.endswith("'"), name
            values[name] = quoted[1:-1]
    assert dict(dotenv_values(stream=io.StringIO(text))) == values  # Compose and pydantic read it the same
    return values


def test_generated_keys_parse_and_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from events.sealed import seal, unseal
    from paizhu.keys import load_keys

    run = subprocess.run([sys.executable, str(GENERATE_KEYS)], capture_output=True, text=True, check=True)
    values = parse_env_block(run.stdout)
    assert set(values) == KEY_SETTINGS | {"PAIZHU_PG_PASSWORD", "PAIZHU_CLUES_SEALING_PUBLIC_KEY"}
    for name in Settings.model_fields:
        monkeypatch.delenv(f"PAIZHU_{name.upper()}", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PAIZHU_MODE", "distributed")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    keys = load_keys(settings)  # distributed: raises if any key is missing

    assert set(json.loads(values["PAIZHU_CIPHER_KEYS"])) == set(settings.cipher_services)
    aes = base64.b64decode(keys.cipher["clues"], validate=True)
    assert len(aes) == 32
    AESGCM(aes).encrypt(b"\0" * 12, b"x", None)
    private = keys.checkpoint_private_key()
    private.public_key().verify(private.sign(b"checkpoint"), b"checkpoint")
    assert len(base64.b64decode(keys.checkpoint_public_key_b64())) == 32
    assert unseal(seal({"线索": "内容"}, keys.clues_sealing_public), keys.clues_sealing_private) == {"线索": "内容"}
    assert len(keys.token_signing) >= 32
    assert settings.service_token is not None and len(settings.service_token.get_secret_value()) >= 32
    assert "Keys(<redacted>)" == repr(keys)

    again = parse_env_block(subprocess.run(
        [sys.executable, str(GENERATE_KEYS)], capture_output=True, text=True, check=True).stdout)
    assert all(again[name] != values[name] for name in values), "fresh keys every run"


def test_generate_keys_output_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "paizhu.env"
    subprocess.run([sys.executable, str(GENERATE_KEYS), "--output", str(target)], check=True, capture_output=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_text()
    again = subprocess.run([sys.executable, str(GENERATE_KEYS), "-o", str(target)], capture_output=True, text=True)
    assert again.returncode != 0 and target.read_text() == before
    assert before not in again.stderr and before not in again.stdout
