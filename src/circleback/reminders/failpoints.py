"""Named places where a test may have this very process killed, as `kill -9` would.

`CIRCLEBACK_FAILPOINTS=digest-after-claim` makes a worker that reaches that place die on the
spot, with no chance to clean up: the suite uses it to prove that a digest claimed but not
sent, or sent but not recorded, is neither lost nor sent twice. Unset, each call is one
dictionary look-up. (etcd and TiKV test their recovery with failpoints the same way.)
"""

from __future__ import annotations

import os
import signal


def reach(name: str) -> None:
    armed = os.environ.get("CIRCLEBACK_FAILPOINTS", "")
    if armed and name in armed.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
