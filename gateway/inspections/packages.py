"""Briefing-package routes: a package is built from the inspection-handoff read model, frozen with its
positions and hash on the round, and rebuilt from the same positions to be verified."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from authz import Permission
from gateway.deps import ReadModels, Services
from gateway.permissions import require
from projections.inspection_handoff.view import InspectionHandoffView
from services.common.interface import Id, Result
from services.inspections.interface import FreezeBriefingPackage, GetBriefingPackage, GetRound
from services.inspections.results import PackageFrozen

router = APIRouter()


class FrozenBriefingPackage(PackageFrozen):
    """The package as frozen: what was recorded on the round, and the package itself."""

    content_hash: str
    positions: dict[str, int]
    package: dict[str, Any]


class VerifiedBriefingPackage(Result):
    """A frozen package rebuilt from the history at its stated positions, and whether its hash matches."""

    package_id: str
    positions: dict[str, int]
    content_hash: str
    rebuilt_hash: str
    verified: bool
    package: dict[str, Any]


@router.post("/rounds/{round_id}/briefing-packages", status_code=201)
def freeze_briefing_package(round_id: Id, services: Services, read_models: ReadModels,
                            permission: Permission = require("inspections.freeze_briefing_package"),
                            ) -> FrozenBriefingPackage:
    """Build the briefing package from the record as it is now, and freeze its positions and hash.

    The round is read under the freezing permission (404 / 403 as for the command) for the unit whose
    history the package holds.
    """
    inspection_round = services.run(GetRound(round_id=round_id), permission)
    view = InspectionHandoffView(read_models.db)
    positions = view.current_positions()
    package, digest = view.build(round_id, inspection_round.unit_id, positions)
    frozen = services.run(FreezeBriefingPackage(round_id=round_id, positions=positions, content_hash=digest),
                          permission)
    return FrozenBriefingPackage(**frozen.model_dump(), content_hash=digest, positions=positions, package=package)


@router.get("/rounds/{round_id}/briefing-packages/{package_id}")
def get_briefing_package(round_id: Id, package_id: Id, services: Services, read_models: ReadModels,
                         permission: Permission = require("inspections.read_briefing_package"),
                         ) -> VerifiedBriefingPackage:
    """Rebuild a frozen package from the history at its stated positions and verify its hash."""
    frozen = services.run(GetBriefingPackage(round_id=round_id, package_id=package_id), permission)
    package, digest = InspectionHandoffView(read_models.db).build(round_id, frozen.unit_id, frozen.positions)
    return VerifiedBriefingPackage(package_id=package_id, positions=frozen.positions,
                                   content_hash=frozen.content_hash, rebuilt_hash=digest,
                                   verified=digest == frozen.content_hash, package=package)
