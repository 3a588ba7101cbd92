"""Named places where a test may have this very process killed, as `kill -9` would, or held.

`CIRCLEBACK_FAILPOINTS=digest-after-claim` makes a worker that reaches that place die on the
spot, with no chance to clean up: the suite uses it to prove that a digest claimed but not
sent, or sent but not recorded, is neither lost nor sent twice. `name=hold` stops there
instead, saying so on stderr, for up to a minute: long enough for a test to signal the
process in the middle of its work. Unset, each call is one dictionary look-up. (etcd and
TiKV test their recovery with failpoints the same way.)
"""

from __future__ import annotations

import os
import signal
import sys
import time

HOLD_S = 60.0


def reach(name: str) -> None:
    armed = os.environ.get("CIRCLEBACK_FAILPOINTS", "")
    if not armed:
        return
    points = armed.split(",")
    if name in points:
        os.kill(os.getpid(), signal.SIGKILL)
    elif f"{name}=hold" in points:
        print(f"failpoint {name}: holding", file=sys.stderr, flush=True)
        # A signal's handler runs in the sleep; one that raises ends the hold with it.
        until = time.monotonic() + HOLD_S
        while time.monotonic() < until:
            time.sleep(0.05)
