from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path

import pytest

from services.common.errors import InvalidInputError
from services.units import attachments
from services.units.attachments import (
    AttachmentHashMismatchError,
    AttachmentTooLargeError,
    AttachmentTypeError,
    validate_attachment,
)
from services.units.blobstore import BlobStore
from tests.unit.units.conftest import Ctx


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOCX = b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\x00" * 20
XLSX = b"PK\x03\x04" + b"\x00" * 26 + b"xl/workbook.xml" + b"\x00" * 20


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (PDF, "报告.pdf", "application/pdf"),
        (PNG, "现场.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "a.jpg", "image/jpeg"),
        (DOCX, "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("整改情况说明".encode(), "说明.txt", "text/plain"),
    ],
)
def test_allowed_types_are_recognised_by_their_bytes(data: bytes, name: str, media_type: str) -> None:
    meta = validate_attachment(data, name, hashlib.sha256(data).hexdigest())
    assert meta == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "media_type": media_type,
                    "filename": name}


def test_an_executable_renamed_to_pdf_is_refused() -> None:
    with pytest.raises(AttachmentTypeError) as refused:
        validate_attachment(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "报告.pdf")
    assert refused.value.code == "attachment_type_not_allowed"


def test_too_large_attachment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024)
    with pytest.raises(AttachmentTooLargeError):
        validate_attachment(PDF + b"0" * 2048, "big.pdf")


def test_the_real_limit_is_twenty_megabytes() -> None:
    with pytest.raises(AttachmentTooLargeError):
        validate_attachment(PDF + b"0" * (20 * 1024 * 1024), "big.pdf")


def test_declared_hash_not_matching_the_bytes_is_refused(ctx: Ctx) -> None:
    with pytest.raises(AttachmentHashMismatchError) as refused:
        ctx.call("zhao.unit", "upload_attachment", filename="报告.pdf", content_base64=b64(PDF),
                 declared_sha256=hashlib.sha256(b"other").hexdigest())
    assert refused.value.code == "attachment_hash_mismatch"
    assert not ctx.app.blobs.exists(hashlib.sha256(PDF).hexdigest())


def test_uploaded_attachment_is_cited_by_hash_in_the_submission(ctx: Ctx) -> None:
    meta = ctx.call("zhao.unit", "upload_attachment", filename="专报.pdf", content_base64=b64(PDF))
    result = ctx.call("zhao.unit", "submit_situation_notice", unit_id="unit-mee", title="突发环境事件情况",
                      category="突发事件", summary="某地发生突发环境事件", occurred_on=date(2025, 3, 2),
                      attachments=[{"sha256": meta["sha256"], "filename": "专报.pdf"}])
    stored = ctx.app.get_submission(result["submission_id"])
    assert [a.model_dump() for a in stored["attachments"]] == [{"sha256": hashlib.sha256(PDF).hexdigest(),
                                                                "size": len(PDF), "media_type": "application/pdf",
                                                                "filename": "专报.pdf"}]
    assert base64.b64decode(ctx.app.get_attachment(meta["sha256"])["content_base64"]) == PDF


def test_citing_an_attachment_never_uploaded_is_refused(ctx: Ctx) -> None:
    with pytest.raises(InvalidInputError) as refused:
        ctx.call("zhao.unit", "submit_situation_notice", unit_id="unit-mee", title="情况", category="其他",
                 summary="内容", occurred_on=date(2025, 3, 2), attachments=[{"sha256": "0" * 64, "filename": "x.pdf"}])
    assert refused.value.code == "attachment_not_found"


def test_filesystem_blob_store_is_content_addressed(tmp_path: Path) -> None:
    store = BlobStore.from_env({"UNITS_BLOB_DIR": str(tmp_path)})
    digest = store.put(PDF)
    assert store.put(PDF) == digest
    assert (tmp_path / digest[:2] / digest).read_bytes() == PDF
    assert BlobStore(tmp_path).get(digest) == PDF
    assert store.get("../../etc/passwd") is None
