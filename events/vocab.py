"""Vocabularies more than one service speaks: codes with their labels (the single source).

The clues service checks a clue's categories against `CLUE_CATEGORIES`; the inspections service refers
clues to it and refuses an unknown category at the request, so a referral never fails in the clues policy.
"""

from __future__ import annotations

CLUE_CATEGORIES: dict[str, str] = {
    "political": "政治纪律 (political discipline)",
    "organisational": "组织纪律 (organisational discipline)",
    "integrity": "廉洁纪律 (integrity discipline)",
    "mass": "群众纪律 (mass discipline)",
    "work": "工作纪律 (work discipline)",
    "life": "生活纪律 (life discipline)",
    "duty_illegality": "职务违法 (duty-related illegality)",
}
