"""Spreadsheet import batches: which rows of which file became which master-ledger directives."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import InvalidInputError

NothingToImportError = InvalidInputError.kind("NothingToImportError", "nothing_to_import")


class ImportBatch(ChainedAggregate):
    """One confirmed import of an .xlsx master ledger, keyed by the file's SHA-256 within the group.

    The same file confirmed twice has the same id, so the second confirmation records nothing.
    """

    default_distribution = "hq"

    @staticmethod
    def create_id(group_id: str, sha256: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:ledgers:import:{group_id}:{sha256}")

    @classmethod
    def confirm(
        cls,
        *,
        group_id: str,
        unit_id: str,
        sha256: str,
        filename: str,
        imported: list[dict[str, Any]],
        skipped: list[dict[str, Any]],
        imported_on: date,
    ) -> ImportBatch:
        """The batch of a confirmed file, which must have imported at least one row."""
        cls.check_batch(imported)
        return cls(group_id=group_id, unit_id=unit_id, sha256=sha256, filename=filename.strip(), imported=imported,
                   skipped=skipped, imported_on=imported_on)

    @staticmethod
    def check_batch(imported: list[dict[str, Any]]) -> None:
        if not imported:
            raise NothingToImportError("文件中没有可导入的行 (no valid row to import)")

    @event("Recorded")
    def __init__(
        self,
        group_id: str,
        unit_id: str,
        sha256: str,
        filename: str,
        imported: list[dict[str, Any]],
        skipped: list[dict[str, Any]],
        imported_on: date,
    ) -> None:
        self._keep(locals())
        self.imported = [dict(r) for r in imported]
        """[{row, reference_number, directive_id}] in file order"""
        self.skipped = [dict(r) for r in skipped]
        """[{row, reference_number, errors}] rows left out for their errors"""
