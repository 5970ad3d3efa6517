"""Units application: the channel between a group and the units it supervises, and upward to the commission."""

from __future__ import annotations

from services.common.clock import Clock
from services.units.app_inbound import InboundCommands
from services.units.app_power import PowerCommands
from services.units.app_roster import RosterCommands
from services.units.base import CreationIndex
from services.units.blobstore import BlobStore
from services.units.integration import mapper
from services.units.policies import UnitsPolicies


class UnitsApplication(RosterCommands, InboundCommands, UnitsPolicies, PowerCommands):
    name = "units"
    scheduler_command = "record_overdue"
    integration = mapper
    consumes = ("clues",)

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None,
                 blobs: BlobStore | None = None) -> None:
        super().__init__(env=env, clock=clock)
        self.blobs = blobs or BlobStore.from_env(env)
        self.index = CreationIndex(self)
