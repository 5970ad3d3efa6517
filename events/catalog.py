"""Imports every contract module so the registry is complete."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from events.topics import SERVICES


def import_existing(modules: Iterable[str]) -> None:
    """Import each of these modules that exists (registries fill themselves on import); an import error
    inside a module that exists is raised."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def load_all() -> None:
    import_existing(f"events.{service}" for service in SERVICES)
