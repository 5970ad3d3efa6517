"""Ledgers application: commands and queries of the master and detail ledgers, the four lists and the loop."""

from __future__ import annotations

from services.ledgers.app_export import ExportQueries
from services.ledgers.app_import import ImportCommands
from services.ledgers.app_queries import Queries
from services.ledgers.app_reviews import ReviewCommands
from services.ledgers.policies import Policies


class LedgersApplication(ImportCommands, ReviewCommands, ExportQueries, Policies, Queries):
    """The ledgers service (台账): directives, four lists, stages, closed loop, evaluations, imports, reviews."""

    name = "ledgers"
    scheduler_command = "run_scheduler"
