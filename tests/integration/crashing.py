"""`python -m tests.integration.crashing HOOK PAIZHU-ARGUMENTS…`: the paizhu command line with a crash injected.

The crash tests start this instead of `paizhu.cli`, so the production relay and projection runner carry no
test hooks. Hooks:

- `relay-after-ack`: the relay dies (exit 17) after the broker acknowledged a batch, before it saves its
  position;
- `projector-after=N`: the projection runner dies (exit 18) after applying N events of one batch, before the
  batch's transaction commits.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

from runtime.projection_runner import ProjectionRunner
from runtime.relay import Relay

RELAY_CRASHED = 17
PROJECTOR_CRASHED = 18


def _crash(code: int, where: str) -> NoReturn:
    print(f"test crash: {where}", file=sys.stderr, flush=True)
    os._exit(code)


def crash_relay_after_ack() -> None:
    def save_position(self: Relay, position: int) -> None:
        _crash(RELAY_CRASHED, f"relay acknowledged up to {position}, position not saved")

    Relay.save_position = save_position  # type: ignore[method-assign]


def crash_projector_after(events: int) -> None:
    process, apply = ProjectionRunner._process, ProjectionRunner._apply
    applied = 0

    def counting_process(self: ProjectionRunner, *args: Any, **kwargs: Any) -> int:
        nonlocal applied
        applied = 0  # counted per batch (one transaction)
        return process(self, *args, **kwargs)

    def counting_apply(self: ProjectionRunner, *args: Any, **kwargs: Any) -> None:
        nonlocal applied
        apply(self, *args, **kwargs)
        applied += 1
        if applied >= events:
            _crash(PROJECTOR_CRASHED, f"projector applied {applied} events of a batch, not committed")

    ProjectionRunner._process = counting_process  # type: ignore[method-assign]
    ProjectionRunner._apply = counting_apply  # type: ignore[method-assign]


def main(hook: str, arguments: list[str]) -> None:
    if hook == "relay-after-ack":
        crash_relay_after_ack()
    elif hook.startswith("projector-after="):
        crash_projector_after(int(hook.removeprefix("projector-after=")))
    else:
        raise SystemExit(f"unknown crash hook: {hook}")
    from paizhu.cli import app

    app(args=arguments, prog_name="paizhu")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
