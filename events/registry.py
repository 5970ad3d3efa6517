"""Registry of integration-event contracts: (type, schema_version) -> payload model, plus upcasters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from events.envelope import Envelope

SCHEMA_DIR = Path(__file__).parent / "schemas"


class Contract(BaseModel):
    """Base of every payload contract: frozen and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


TContract = TypeVar("TContract", bound=type[Contract])
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

_contracts: dict[tuple[str, int], type[Contract]] = {}
_latest: dict[str, int] = {}
_upcasters: dict[tuple[str, int], Upcaster] = {}


class UnknownEventError(Exception):
    """An event whose type or schema version this build does not know."""


def contract(type_name: str, schema_version: int) -> Callable[[TContract], TContract]:
    """Register a payload model as the contract of `type_name` at `schema_version`."""

    def register(model: TContract) -> TContract:
        key = (type_name, schema_version)
        if key in _contracts and _contracts[key] is not model:
            raise ValueError(f"contract {type_name} v{schema_version} registered twice")
        _contracts[key] = model
        _latest[type_name] = max(schema_version, _latest.get(type_name, 0))
        model.event_type = type_name  # type: ignore[attr-defined]
        model.schema_version = schema_version  # type: ignore[attr-defined]
        return model

    return register


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function turning a v`from_version` payload into a v`from_version + 1` payload."""

    def register(func: Upcaster) -> Upcaster:
        _upcasters[(type_name, from_version)] = func
        return func

    return register


def contracts() -> dict[tuple[str, int], type[Contract]]:
    return dict(_contracts)


def latest_version(type_name: str) -> int | None:
    return _latest.get(type_name)


def is_known(type_name: str, schema_version: int) -> bool:
    """Whether this build can decode (possibly by upcasting) this type at this version."""
    return (type_name, schema_version) in _contracts


def decode(envelope: Envelope) -> Contract:
    """Validate an envelope's payload against its contract, upcast to the latest version."""
    type_name, version = envelope.type, envelope.schema_version
    latest = latest_version(type_name)
    if latest is None:
        raise UnknownEventError(f"unknown event type {type_name!r}")
    if version > latest or (type_name, version) not in _contracts:
        raise UnknownEventError(f"unknown schema version {version} of {type_name!r}")
    model = _contracts[(type_name, latest)]
    kept = envelope.kept_contract()
    if version == latest and type(kept) is model:
        return kept  # this process validated it when it built the envelope
    payload = dict(envelope.payload)
    while version < latest:
        step = _upcasters.get((type_name, version))
        if step is None:
            raise UnknownEventError(f"no upcaster for {type_name!r} v{version}")
        payload = step(payload)
        version += 1
    return model.model_validate(payload)


def schema_file(type_name: str, version: int, directory: Path = SCHEMA_DIR) -> Path:
    return directory / f"{type_name}.v{version}.json"


def schema_text(model: type[Contract]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write the JSON Schema of every registered contract; existing files are left untouched."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for (type_name, version), model in sorted(_contracts.items()):
        path = schema_file(type_name, version, directory)
        if not path.exists():
            path.write_text(schema_text(model), encoding="utf-8")
            written.append(path)
    return written


def contract_drift(
    registered: dict[tuple[str, int], type[Contract]] | None = None, directory: Path = SCHEMA_DIR
) -> list[str]:
    """Published contracts whose schema changed without a new schema_version (or was never exported)."""
    problems = []
    for (type_name, version), model in sorted((registered or _contracts).items()):
        path = schema_file(type_name, version, directory)
        if not path.exists():
            problems.append(f"{type_name} v{version}: schema not exported (run `paizhu schemas`)")
        elif path.read_text(encoding="utf-8") != schema_text(model):
            problems.append(
                f"{type_name} v{version}: contract changed without a new schema_version"
            )
    return problems
