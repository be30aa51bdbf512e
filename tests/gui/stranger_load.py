"""Child process of test_stranger_leaks.py: a background window while someone joins under a new
identity key again and again, calling itself "bob" each time (a changed key to flag), writes a DM,
offers a file and leaves (the offer then fails, peer_lost). Prints one JSON line with the
refcount of None, the QObject and widget counts and the rows kept, after a warm-up that fills
every bounded list and after the load: each must stay flat.

    python -m tests.gui.stranger_load ROUNDS DATA_DIR
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from zp2p_gui.core import events as ev
from zp2p_gui.ui.conversations import STRANGER_ROWS
from zp2p_gui.ui.direct import VIEWS_KEPT
from zp2p_gui.ui.members import FLAGS_KEPT
from zp2p_gui.ui.transfers import KEEP_FINISHED_ALL

from .churn_load import HOST, PEER, background_window, measured, report

WARM_ROUNDS = max(STRANGER_ROWS, KEEP_FINISHED_ALL, FLAGS_KEPT) + VIEWS_KEPT + 50  # every bounded list full, and past it


def one_round(i: int) -> list[ev.Event]:
    now = time.time()
    key = f"{i:032x}"
    alice = ev.Member(node_id="a1" * 8, nick="alice", addr=HOST, host=True, joined=now - 60)
    bob = ev.Member(node_id=f"{i:016x}", nick="bob", addr=PEER, host=False, joined=now, key=key)
    return [ev.Presence(users=(alice, bob)),
            ev.KeyChanged(detail="bob's key changed", nick="bob", old=f"{i - 1:032x}", new=key),
            ev.Direct(id=f"d{i}", key=key, nick="bob", text=f"hello {i}", ts=now),
            ev.Offer(id=f"f{i}", key=key, nick="bob", filename=f"photo {i}.jpg", size=1000, files=1),
            ev.Presence(users=(alice,)),
            ev.TransferFailed(id=f"f{i}", key=key, nick="bob", code="peer_lost", detail="gone", incoming=True)]


def main(rounds: int, data_dir: Path) -> int:
    app, window, history = background_window(data_dir)
    result = measured(app, window, one_round, WARM_ROUNDS, rounds)
    result["after"].update(conversations=len(window.direct.list.keys()), views=window.direct.stack.count(),
                           transfers=len(window.transfers._rows))
    return report(result, window, history)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), Path(sys.argv[2])))
