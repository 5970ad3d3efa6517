"""Attachment validation: size limit, allowed types by magic bytes, declared hash against the bytes."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any

from services.common.errors import InvalidInputError
from services.units.blobstore import BlobStore, sha256_of

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 20
MEDIA_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/png",
    "image/jpeg",
    "text/plain",
)
"""What an attachment may be (detected by its bytes, never by its name)."""
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class AttachmentError(InvalidInputError):
    code = "attachment_invalid"


AttachmentTooLargeError = AttachmentError.kind("AttachmentTooLargeError", "attachment_too_large")
AttachmentTypeError = AttachmentError.kind("AttachmentTypeError", "attachment_type_not_allowed")
AttachmentHashMismatchError = AttachmentError.kind("AttachmentHashMismatchError", "attachment_hash_mismatch")


def _zip_kind(data: bytes, filename: str) -> str | None:
    """docx and xlsx are zip archives; tell them apart by their main part (or the file name)."""
    head = data[:4096]
    if b"word/" in head or filename.lower().endswith(".docx"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if b"xl/" in head or filename.lower().endswith(".xlsx"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sample's end is still text.
        return error.start >= len(data[:65536]) - 3
    return True


def detect_media_type(data: bytes, filename: str = "") -> str | None:
    """The media type the content really is (by magic bytes), or None when it is not allowed."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, filename)
    if data and _looks_like_text(data):
        return "text/plain"
    return None


def clean_filename(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", ".."):
        raise AttachmentError("附件须有文件名 (attachment needs a file name)", code="attachment_filename_required")
    if len(name) > 200:
        raise AttachmentError("附件文件名过长 (file name too long)", code="attachment_filename_too_long")
    return name


def validate_attachment(data: bytes, filename: str, declared_sha256: str | None = None) -> dict[str, Any]:
    """Check one upload; return the reference events carry: sha256, size, media_type, filename."""
    name = clean_filename(filename)
    if not data:
        raise AttachmentError("附件为空 (attachment is empty)", code="attachment_empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLargeError(
            f"附件超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB 上限 "
            f"(attachment larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB): {name}"
        )
    media_type = detect_media_type(data, name)
    if media_type is None:
        raise AttachmentTypeError(
            f"附件类型不允许，仅限 PDF、Word、Excel、PNG、JPG、文本 "
            f"(type not allowed; only pdf, docx, xlsx, png, jpg, txt): {name}"
        )
    digest = sha256_of(data)
    if declared_sha256 is not None:
        declared = declared_sha256.strip().lower()
        if not _HEX64.match(declared):
            raise AttachmentHashMismatchError(
                f"声明的哈希值格式错误 (declared hash is not a SHA-256 hex digest): {name}"
            )
        if declared != digest:
            raise AttachmentHashMismatchError(
                f"附件内容与声明的哈希值不符 (content does not match the declared SHA-256): {name}"
            )
    return {"sha256": digest, "size": len(data), "media_type": media_type, "filename": name}


def decode_upload(content_base64: str) -> bytes:
    """An upload's bytes (it travels as base64, the same in-process and over HTTP)."""
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise AttachmentError("附件内容编码错误 (content is not base64)", code="attachment_encoding") from error


def resolve(blobs: BlobStore, refs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """The references a record stores for cited uploads (sha256, file name), their bytes checked again."""
    if len(refs) > MAX_ATTACHMENTS:
        raise InvalidInputError(f"附件不能超过 {MAX_ATTACHMENTS} 个 (too many attachments)",
                                code="too_many_attachments")
    result = []
    for sha256, filename in refs:
        digest = sha256.strip().lower()
        data = blobs.get(digest)
        if data is None:
            raise InvalidInputError(
                f"附件未上传或哈希值错误 (attachment not uploaded): {digest or '?'}", code="attachment_not_found"
            )
        result.append(validate_attachment(data, filename, digest))
    return result
