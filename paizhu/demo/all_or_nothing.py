"""Demo seeding is all or nothing: a seeding that did not finish leaves a mark, and the next start removes
what it wrote before anything reads it (issue #14: a seeding killed half-way stayed half-done for good).

`seed_demo` seeds only into empty stores and holds the mark (`<data_dir>/demo-seeding.incomplete`) from its
first write to its last; while the mark is there the data directory holds nothing but that unfinished demo.
The embedded platform calls `discard_interrupted_seeding` before it opens its stores: it removes the stores,
the read models and the attachments the seeding wrote (never the keys), then the mark. A restart with `--demo`
then seeds the whole demo once; one without it starts empty.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

MARK = "demo-seeding.incomplete"
WRITTEN = ("stores", "blobs")
"""What seeding writes under the data directory besides the read models (`read_models.db*`)."""


def mark_of(data_dir: Path) -> Path:
    return data_dir / MARK


def _sync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def seeding(data_dir: Path | None) -> Iterator[None]:
    """Hold the mark while seeding into `data_dir` (None: memory, which a crash empties anyway); the mark goes
    only when the body finished, so an exception or a kill leaves it for the next start."""
    if data_dir is None:
        yield
        return
    mark = mark_of(data_dir)
    with mark.open("w", encoding="utf-8") as out:
        out.write("演示数据写入未完成，下次启动时清除 (demo seeding unfinished: removed at the next start)\n")
        out.flush()
        os.fsync(out.fileno())
    _sync_dir(data_dir)
    yield
    mark.unlink()
    _sync_dir(data_dir)


def discard_interrupted_seeding(data_dir: Path) -> bool:
    """Remove what an unfinished seeding wrote (stores, read models, attachments), then its mark; True if one
    was found. Safe to run again if interrupted itself: the mark goes last."""
    mark = mark_of(data_dir)
    if not mark.exists():
        return False
    log.warning("演示数据写入曾中断，清除未完成的演示数据 (demo seeding was interrupted; removing the half demo)")
    for name in WRITTEN:
        shutil.rmtree(data_dir / name, ignore_errors=True)
    for path in data_dir.glob("read_models.db*"):
        path.unlink()
    _sync_dir(data_dir)
    mark.unlink()
    _sync_dir(data_dir)
    return True
