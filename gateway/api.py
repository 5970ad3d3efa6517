"""Aggregation of the gateway's routers."""

from __future__ import annotations

import importlib
import logging

from fastapi import APIRouter

log = logging.getLogger(__name__)

ROUTER_MODULES = [
    "gateway.session.router",
    "gateway.hq.router",
    "gateway.hq.clue_figures",
    "gateway.hq.rectification",
    "gateway.ledgers.router",
    "gateway.calendar.router",
    "gateway.clues.router",
    "gateway.inspections.router",
    "gateway.units.router",
    "gateway.people.router",
    "gateway.people.commands",
    "gateway.forensics.router",
]


OWN_ERRORS = {"gateway.session.router"}
"""Routers whose routes document their own errors (public routes answer fewer of them than API_ERRORS)."""


def documents_own_errors(router: APIRouter) -> bool:
    return any(router is getattr(importlib.import_module(name), "router", None) for name in OWN_ERRORS)


def routers() -> list[APIRouter]:
    found = []
    for name in ROUTER_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name is None or not name.startswith(error.name):
                raise
            log.warning("router %s not present", name)
            continue
        found.append(module.router)
    return found
