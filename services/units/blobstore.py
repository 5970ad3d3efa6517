"""Content-addressed store of attachment bytes (filesystem directory, or in memory when none is configured)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from pathlib import Path

BLOB_DIR_ENV = "UNITS_BLOB_DIR"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Keeps bytes under their SHA-256; storing the same content twice stores it once."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else None
        self._memory: dict[str, bytes] = {}
        self._lock = threading.Lock()
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_env(cls, env: dict[str, str] | None) -> BlobStore:
        directory = (env or {}).get(BLOB_DIR_ENV) or os.environ.get(BLOB_DIR_ENV)
        return cls(directory or None)

    def _path(self, digest: str) -> Path:
        assert self.directory is not None
        return self.directory / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        if self.directory is None:
            with self._lock:
                self._memory.setdefault(digest, bytes(data))
            return digest
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename, so a reader never sees half a blob.
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return digest

    def exists(self, digest: str) -> bool:
        if not _HEX64.match(digest or ""):
            return False
        if self.directory is None:
            return digest in self._memory
        return self._path(digest).exists()

    def get(self, digest: str) -> bytes | None:
        if not self.exists(digest):
            return None
        if self.directory is None:
            return self._memory[digest]
        return self._path(digest).read_bytes()
