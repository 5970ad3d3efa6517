"""A service's typed interface: one pydantic model per command and query, one per result.

The gateway builds an operation (`RegisterDirective(...)`) and hands it to the service's client; in
embedded mode the same object reaches the application method in-process, in distributed mode it crosses
HTTP as JSON and is validated into the same model on the other side. Each operation names its result
type as its generic parameter, so `services.run(RegisterDirective(...))` is typed `DirectiveRegistered`.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

R = TypeVar("R")

_registry: dict[str, dict[str, type[Operation[Any]]]] = {}


class Fields(BaseModel):
    """Frozen, closed models: an unknown field is refused, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def fields(self) -> dict[str, Any]:
        """The values as keyword arguments (nested models stay models)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class Operation(Fields, Generic[R]):
    """A call into one service; Command or Query parametrised with the result type.

    Its `service` is the package its module is in (`services/ledgers/interface.py` → "ledgers"), or set
    explicitly elsewhere (tests).
    """

    service: ClassVar[str] = ""
    kind: ClassVar[Literal["command", "query"]] = "command"
    result_type: ClassVar[Any] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for base in cls.__mro__:
            metadata = getattr(base, "__pydantic_generic_metadata__", None) or {}
            if metadata.get("origin") is not None and metadata.get("args"):
                cls.result_type = metadata["args"][0]
                break
        package = cls.__module__.split(".")
        if "service" not in cls.__dict__ and len(package) > 2 and package[0] == "services" and package[1] != "common":
            cls.service = package[1]  # an interface module of services/<name>/ speaks for that service
        if cls.service and not cls.__pydantic_generic_metadata__.get("origin"):
            operations = _registry.setdefault(cls.service, {})
            if operations.get(cls.__name__, cls) is not cls:
                raise TypeError(f"operation {cls.service}.{cls.__name__} defined twice")
            operations[cls.__name__] = cls

    @classmethod
    def operation_name(cls) -> str:
        return cls.__name__

    @classmethod
    def positional_order(cls) -> list[str]:
        """Fields for positional arguments: the operation's own (the record's id) before those it inherits."""
        own = [name for name in cls.__dict__.get("__annotations__", {}) if name in cls.model_fields]
        return own + [name for name in cls.model_fields if name not in own]

class Body(Fields):
    """The fields a request states, for a command that adds the record's id from the path.

    `class RecordStage(Command[DirectiveRecorded], StageBody)`: the route takes `StageBody`, the
    service the command; the fields are written once.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


class Command(Operation[R], Generic[R]):
    """Changes state: records events and returns what the caller needs (ids, the position written)."""

    kind: ClassVar[Literal["command", "query"]] = "command"


class Query(Operation[R], Generic[R]):
    """Reads one record or a small derived view; lists belong to read models."""

    kind: ClassVar[Literal["command", "query"]] = "query"


class Result(BaseModel):
    """What an operation returns. Item access (`result["position"]`) reads a field, for scripts and tests."""

    model_config = ConfigDict(extra="forbid")

    def __getitem__(self, name: str) -> Any:
        if name not in type(self).model_fields:
            raise KeyError(name)
        return getattr(self, name)


class Recorded(Result):
    """A command that changed an existing record: the position of the last published event it wrote."""

    position: int


def operations(service: str) -> dict[str, type[Operation[Any]]]:
    """The service's operations by name (its interface module must have been imported)."""
    return dict(_registry.get(service, {}))


@cache
def result_adapter(operation: type[Operation[Any]]) -> TypeAdapter[Any]:
    return TypeAdapter(operation.result_type)


def vocabulary(labels: dict[str, str]) -> Any:
    """A closed vocabulary as a type: its codes are the allowed values, its labels the description.

    Use it once, beside the vocabulary's labels:
    `if TYPE_CHECKING: ListKind = str` / `else: ListKind = vocabulary(LIST_KINDS)`.
    """
    described = "; ".join(f"`{code}` {label}" for code, label in labels.items())
    return Annotated[Literal[tuple(labels)], Field(description=described)]


NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Text may hold line breaks and tabs, never other control characters (they break exports and logs)."""

Day = Annotated[date, Field(ge=date(1949, 10, 1), le=date(2099, 12, 31))]
"""A date a person states: bounded, so deadline arithmetic never leaves the calendar."""
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
"""A record's id or a code (uuid, `group-mee`, `unit-mee`, a category code)."""
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_CONTROL_CHARACTERS)]
"""A short text: a name, a department, a title of a person or a post."""
Title = Annotated[str, Field(min_length=1, max_length=500, pattern=NO_CONTROL_CHARACTERS)]
Note = Annotated[str, Field(min_length=1, max_length=4000, pattern=NO_CONTROL_CHARACTERS)]
"""A paragraph: a summary, a reason, a rationale."""
Count = Annotated[int, Field(ge=0, le=100_000)]
