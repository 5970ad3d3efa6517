"""What an inspection team reads outside its open round: the inspection handoff (巡前 / 巡后).

`can_read` lets a team member read a round's records only while the round is open. Two rules extend it,
and nothing else does:

- the round's frozen briefing package, from the moment it is frozen (also before the round opens) until
  the round closes (`team_reads_package`);
- after the round closes, read-only sight of the rectification progress of the round's own findings, each
  until it is closed (`team_follows_rectification`).

Each rule has its SQL form over the inspection-handoff read model, tested to agree with it
(tests/unit/authz/test_handoff.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from authz import TEAM_ROLES, Principal
from authz.filters import NOTHING, Clause


def _team_member(principal: Principal, round_members: Iterable[str]) -> bool:
    return (principal.org_kind == "inspection_team" and principal.has_any(TEAM_ROLES)
            and principal.user_id in frozenset(round_members))


def team_reads_package(principal: Principal, *, round_members: Iterable[str], round_closed: bool) -> bool:
    """A member of the round's team reads its frozen package until the round closes."""
    return _team_member(principal, round_members) and not round_closed


def team_follows_rectification(principal: Principal, *, round_members: Iterable[str], round_closed: bool,
                               item_completed: bool) -> bool:
    """After its round closed, a member of its team follows a finding's rectification until it is closed."""
    return _team_member(principal, round_members) and round_closed and not item_completed


def package_filter(principal: Principal, rounds: str, members: str) -> Clause:
    """`team_reads_package` over a rounds table aliased `rounds` (round_id, status) and a members table
    `members` (round_id, user_id)."""
    if principal.org_kind != "inspection_team" or not principal.has_any(TEAM_ROLES):
        return NOTHING
    return Clause(f"{rounds}.status <> 'closed' AND EXISTS (SELECT 1 FROM {members} tm WHERE"
                  f" tm.round_id = {rounds}.round_id AND tm.user_id = %s)", (principal.user_id,))


def rectification_filter(principal: Principal, items: str, rounds_table: str, members: str) -> Clause:
    """`team_follows_rectification` over an items table aliased `items` (round_id, completed), with the rounds
    table `rounds_table` (round_id, status) and the members table `members` (round_id, user_id)."""
    if principal.org_kind != "inspection_team" or not principal.has_any(TEAM_ROLES):
        return NOTHING
    return Clause(
        f"{items}.completed = 0 AND EXISTS (SELECT 1 FROM {rounds_table} tr JOIN {members} tm ON"
        f" tm.round_id = tr.round_id WHERE tr.round_id = {items}.round_id AND tr.status = 'closed'"
        " AND tm.user_id = %s)", (principal.user_id,))
