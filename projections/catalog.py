"""The projections Paizhu runs, by name."""

from __future__ import annotations

import importlib

from projections.common.projection import Projection

PROJECTIONS = {
    "clue_queue": "projections.clue_queue.projection:ClueQueue",
    "group_workbench": "projections.group_workbench.projection:GroupWorkbench",
    "hq_dashboard": "projections.hq_dashboard.projection:HqDashboard",
    "inspection_handoff": "projections.inspection_handoff.projection:InspectionHandoff",
    "membership": "projections.membership.projection:Membership",
    "people": "projections.people.projection:People",
    "unit_channel": "projections.unit_channel.projection:UnitChannel",
    "unit_portal": "projections.unit_portal.projection:UnitPortal",
}


def available() -> dict[str, type[Projection]]:
    found = {}
    for name, path in PROJECTIONS.items():
        module_name, _, attr = path.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is not None and module_name.startswith(error.name):
                continue
            raise
        if hasattr(module, attr):
            found[name] = getattr(module, attr)
    return found
