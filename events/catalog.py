"""Imports every contract module so the registry is complete."""

from __future__ import annotations

import importlib

from events.topics import SERVICES


def load_all() -> None:
    for service in SERVICES:
        try:
            importlib.import_module(f"events.{service}")
        except ModuleNotFoundError as error:
            if error.name != f"events.{service}":
                raise
