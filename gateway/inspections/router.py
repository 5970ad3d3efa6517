"""Inspections routes: rounds (before / during / after), briefing packages, supervision activities."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

import authz
from gateway.deps import CurrentPrincipal, ReadModels, Services
from gateway.inspections import schemas
from gateway.inspections.activities import router as activities_router
from projections.inspection_handoff.view import InspectionHandoffView
from services.common.errors import NotFoundError

router = APIRouter(prefix="/api/inspections", tags=["inspections"])
router.include_router(activities_router)


def round_facts(inspection_round: dict[str, Any]) -> dict[str, Any]:
    """What authz needs about a round: its group and unit, members and whether it is open."""
    return {
        "group_id": inspection_round["group_id"],
        "unit_id": inspection_round["unit_id"],
        "round_id": inspection_round["round_id"],
        "round_members": inspection_round["member_ids"],
        "round_open": inspection_round["is_open"],
    }


def can_read_round(principal: authz.Principal, inspection_round: dict[str, Any]) -> bool:
    facts = round_facts(inspection_round)
    return authz.can(principal, "inspections.read_round", authz.Scope(
        facts["group_id"], facts["unit_id"], facts["round_id"], frozenset(facts["round_members"]),
        facts["round_open"],
    )) and authz.can_read(
        principal, group_id=facts["group_id"], unit_id=facts["unit_id"],
        distribution=inspection_round["distribution"], round_members=facts["round_members"],
        round_open=facts["round_open"],
    )


def readable_round(services: Services, principal: authz.Principal, round_id: str) -> dict[str, Any]:
    """Load a round; 404 for whoever may not see it (a closed round, for its team, no longer exists)."""
    inspection_round: dict[str, Any] = services.query("inspections", "get_round", principal, round_id=round_id)
    if not can_read_round(principal, inspection_round):
        raise NotFoundError("记录不存在 (not found)")
    return inspection_round


def act(services: Services, principal: authz.Principal, action: str, round_id: str, **kwargs: Any) -> Any:
    """Check the action against the round, then run the command of the same name."""
    inspection_round = readable_round(services, principal, round_id)
    authz.require(principal, f"inspections.{action}", **round_facts(inspection_round))
    return services.call("inspections", action, principal, round_id=round_id, **kwargs)


def side_of(principal: authz.Principal) -> str:
    return "team" if principal.org_kind == "inspection_team" else "group"


# -- rounds ------------------------------------------------------------------------------------
@router.post("/rounds", status_code=201)
def record_round(body: schemas.RoundCreate, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """Record an inspection round of a unit (HQ or the group)."""
    authz.require(principal, "inspections.record_round", group_id=body.group_id, unit_id=body.unit_id)
    result: dict[str, Any] = services.call("inspections", "record_round", principal, **body.model_dump())
    return result


@router.get("/rounds")
def list_rounds(principal: CurrentPrincipal, services: Services,
                unit_id: str | None = Query(default=None)) -> list[dict[str, Any]]:
    """The rounds the principal may see: the team its open rounds, the group its own, HQ all."""
    authz.require(principal, "inspections.list_rounds")
    rounds: list[dict[str, Any]] = services.query("inspections", "list_rounds", principal, unit_id=unit_id)
    return [r for r in rounds if can_read_round(principal, r)]


@router.get("/rounds/{round_id}")
def get_round(round_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    return readable_round(services, principal, round_id)


@router.post("/rounds/{round_id}/open")
def open_round(round_id: str, principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    result: dict[str, Any] = act(services, principal, "open_round", round_id)
    return result


@router.post("/rounds/{round_id}/close")
def close_round(round_id: str, body: schemas.RoundClose, principal: CurrentPrincipal,
                services: Services) -> dict[str, Any]:
    """Close the round: its team's members lose access."""
    result: dict[str, Any] = act(services, principal, "close_round", round_id, summary=body.summary)
    return result


@router.post("/rounds/{round_id}/members")
def change_members(round_id: str, body: schemas.MembersChange, principal: CurrentPrincipal,
                   services: Services) -> dict[str, Any]:
    result: dict[str, Any] = act(services, principal, "change_round_members", round_id, member_ids=body.member_ids)
    return result


# -- before: briefing package ------------------------------------------------------------------
@router.post("/rounds/{round_id}/briefing-packages", status_code=201)
def freeze_briefing_package(round_id: str, principal: CurrentPrincipal, services: Services,
                            read_models: ReadModels) -> dict[str, Any]:
    """Build the briefing package from the record as it is now, and freeze its positions and hash."""
    inspection_round = readable_round(services, principal, round_id)
    authz.require(principal, "inspections.freeze_briefing_package", **round_facts(inspection_round))
    view = InspectionHandoffView(read_models.db)
    positions = view.current_positions()
    package, digest = view.build(round_id, inspection_round["unit_id"], positions)
    result: dict[str, Any] = services.call("inspections", "freeze_briefing_package", principal,
                                           round_id=round_id, positions=positions, content_hash=digest)
    return result | {"content_hash": digest, "positions": positions, "package": package}


@router.get("/rounds/{round_id}/briefing-packages/{package_id}")
def get_briefing_package(round_id: str, package_id: str, principal: CurrentPrincipal, services: Services,
                         read_models: ReadModels) -> dict[str, Any]:
    """Rebuild a frozen package from the history at its stated positions and verify its hash."""
    inspection_round = readable_round(services, principal, round_id)
    authz.require(principal, "inspections.read_briefing_package", **round_facts(inspection_round))
    frozen = next((p for p in inspection_round["packages"] if p["package_id"] == package_id), None)
    if frozen is None:
        raise NotFoundError(f"简报包不存在 (briefing package not found): {package_id}")
    package, digest = InspectionHandoffView(read_models.db).build(round_id, inspection_round["unit_id"],
                                                                  frozen["positions"])
    return {"package_id": package_id, "positions": frozen["positions"], "content_hash": frozen["content_hash"],
            "rebuilt_hash": digest, "verified": digest == frozen["content_hash"], "package": package}


@router.post("/rounds/{round_id}/handed-over-clues", status_code=201)
def hand_over_clue(round_id: str, body: schemas.ClueHandOver, principal: CurrentPrincipal,
                   services: Services) -> dict[str, Any]:
    """The group leader hands one clue to the team, with a recorded reason."""
    result: dict[str, Any] = act(services, principal, "hand_over_clue", round_id, **body.model_dump())
    return result


# -- during ------------------------------------------------------------------------------------
@router.post("/rounds/{round_id}/referrals", status_code=201)
def refer_clue(round_id: str, body: schemas.ClueContent, principal: CurrentPrincipal,
               services: Services) -> dict[str, Any]:
    """The team refers a clue to the group (sealed for the clues service)."""
    result: dict[str, Any] = act(services, principal, "refer_clue", round_id, **body.model_dump())
    return result


@router.post("/rounds/{round_id}/requests", status_code=201)
def request_information(round_id: str, body: schemas.InformationRequest, principal: CurrentPrincipal,
                        services: Services) -> dict[str, Any]:
    """A request for information to the other side (team -> group or group -> team), with a deadline."""
    direction = "team_to_group" if side_of(principal) == "team" else "group_to_team"
    result: dict[str, Any] = act(services, principal, "request_information", round_id, direction=direction,
                                 **body.model_dump())
    return result


@router.post("/rounds/{round_id}/requests/{request_id}/answer")
def answer_information(round_id: str, request_id: str, body: schemas.InformationAnswer,
                       principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    result: dict[str, Any] = act(services, principal, "answer_information", round_id, request_id=request_id,
                                 answer=body.answer, side=side_of(principal))
    return result


# -- after -------------------------------------------------------------------------------------
@router.post("/rounds/{round_id}/findings", status_code=201)
def record_finding(round_id: str, body: schemas.FindingCreate, principal: CurrentPrincipal,
                   services: Services) -> dict[str, Any]:
    result: dict[str, Any] = act(services, principal, "record_finding", round_id, **body.model_dump())
    return result


@router.post("/rounds/{round_id}/findings/{finding_id}/hand-over")
def hand_over_finding(round_id: str, finding_id: str, principal: CurrentPrincipal,
                      services: Services) -> dict[str, Any]:
    """The finding becomes a rectification item (problem list of the ledgers service)."""
    result: dict[str, Any] = act(services, principal, "hand_over_finding", round_id, finding_id=finding_id)
    return result


@router.post("/rounds/{round_id}/items/{item_id}/progress", status_code=201)
def record_progress(round_id: str, item_id: str, body: schemas.ProgressReport, principal: CurrentPrincipal,
                    services: Services) -> dict[str, Any]:
    result: dict[str, Any] = act(services, principal, "record_rectification_progress", round_id,
                                 item_id=item_id, **body.model_dump())
    return result


@router.post("/rounds/{round_id}/look-backs", status_code=201)
def schedule_look_back(round_id: str, body: schemas.LookBackSchedule, principal: CurrentPrincipal,
                       services: Services) -> dict[str, Any]:
    """Schedule a look-back (回头看) of the round's rectification."""
    result: dict[str, Any] = act(services, principal, "schedule_look_back", round_id, **body.model_dump())
    return result


@router.post("/rounds/{round_id}/look-backs/{look_back_id}/complete")
def complete_look_back(round_id: str, look_back_id: str, body: schemas.LookBackComplete,
                       principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    result: dict[str, Any] = act(services, principal, "complete_look_back", round_id, look_back_id=look_back_id,
                                 **body.model_dump())
    return result


@router.post("/deadlines/check")
def check_deadlines(principal: CurrentPrincipal, services: Services) -> dict[str, Any]:
    """Run the overdue scheduler now (it also runs periodically)."""
    authz.require(principal, "inspections.check_deadlines")
    result: dict[str, Any] = services.call("inspections", "check_deadlines", principal)
    return {"overdue": len(result["overdue"]), "position": result["position"]}


@router.get("/units/{unit_id}/rectification-items")
def unit_rectification_items(unit_id: str, principal: CurrentPrincipal, services: Services) -> list[dict[str, Any]]:
    """The findings and rectification items addressed to a unit: all a unit may see of inspections."""
    authz.require(principal, "inspections.read_unit_items", hide=True, unit_id=unit_id)
    items: list[dict[str, Any]] = services.query("inspections", "unit_rectification_items", principal,
                                                 unit_id=unit_id)
    return [i for i in items if authz.can_read(principal, group_id=i["group_id"], unit_id=i["unit_id"],
                                               distribution=i["distribution"])]
