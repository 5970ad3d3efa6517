"""Evidence for closure (销号): a reference to an uploaded, content-addressed file or to a unit submission.

The ledgers service does not import the units service: a reference is validated by its shape only.
`sha256:<64 lowercase hex>` names a file in the units blobstore (content addressing); `submission:<id>`
names a unit submission; `units:report:<id>` is the unit's rectification report the units policy attaches.
"""

from __future__ import annotations

import re

FILE_REF = re.compile(r"^sha256:[0-9a-f]{64}$")
SUBMISSION_REF = re.compile(r"^(submission|units:report):[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


def evidence_kind(ref: str) -> str | None:
    """`file`, `submission`, or None for a reference that cannot support a closure (free text)."""
    if FILE_REF.match(ref):
        return "file"
    if SUBMISSION_REF.match(ref):
        return "submission"
    return None


def closure_evidence(refs: list[str]) -> list[str]:
    """The references among `refs` that can support a closure."""
    return [ref for ref in refs if evidence_kind(ref) is not None]
