"""Child process of test_transfer_leaks.py: a background window receiving and sending many files
to bob (offer, progress, done or failed, one after another), printing one JSON line with the
refcount of None and the QObject count after a warm-up and after the load. Finished rows beyond
the kept number are cleared, so the counts must stay flat.

    python -m tests.gui.transfers_load ROUNDS DATA_DIR
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from zp2p_gui.core import events as ev

from .churn_load import HOST, PEER, background_window, measured, report

WARM_ROUNDS = 100  # the lists are full of finished rows after 10 (KEEP_FINISHED / 2), and every path was used
BOB_KEY = "ab" * 16


def one_round(i: int) -> list[ev.Event]:
    """bob offers a file that arrives, and this user's offer to him fails half way."""
    now = time.time()
    alice = ev.Member(node_id="a1" * 8, nick="alice", addr=HOST, host=True, joined=now - 60)
    bob = ev.Member(node_id="b2" * 8, nick="bob", addr=PEER, host=False, joined=now - 60, key=BOB_KEY)
    size = 1000 + i
    return [ev.Presence(users=(alice, bob)),
            ev.Offer(id=f"in{i}", key=BOB_KEY, nick="bob", filename=f"photo {i}.jpg", size=size, files=1),
            ev.Progress(id=f"in{i}", bytes=size // 2, size=size, rate=5e6),
            ev.TransferDone(id=f"in{i}", key=BOB_KEY, nick="bob", path=f"/downloads/photo {i}.jpg", size=size,
                            hash="00" * 32, hash_alg="sha256", incoming=True),
            ev.OfferSent(id=f"out{i}", key=BOB_KEY, nick="bob", filename=f"notes {i}", size=size, files=3,
                         path=f"/home/alice/notes {i}"),
            ev.Progress(id=f"out{i}", bytes=size // 3, size=size, rate=1e6),
            ev.TransferFailed(id=f"out{i}", key=BOB_KEY, nick="bob", code="peer_lost", detail="gone")]


def main(rounds: int, data_dir: Path) -> int:
    app, window, history = background_window(data_dir)
    window.direct.list.ensure(BOB_KEY, "bob")
    window.direct.list.select(BOB_KEY)  # bob's conversation is selected: his rows take part in the layout
    result = measured(app, window, one_round, WARM_ROUNDS, rounds)
    result["after"]["rows"] = len(window.transfers.rows(BOB_KEY))
    return report(result, window, history)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), Path(sys.argv[2])))
