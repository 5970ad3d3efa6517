"""The garbage collector of a serving process: what was built at start-up is set aside before requests come.

A process that serves requests holds a large heap built once (the applications, the routes and their models, the
caches it filled while starting): hundreds of thousands of objects that live as long as the process. Python's
full collection walks every one of them, and it holds the interpreter meanwhile: measured in the embedded gateway
under the read benchmark (bench/queries.py), four full collections in 15 s stopped every request for 300-500 ms
each on a loaded machine, which is the whole of the reads' p99. Frozen (`gc.freeze`), the start-up heap is no
longer walked; what requests allocate is collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then move every object alive now out of the collector's sight (call it when the process is
    built, just before it starts serving); the number of objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
