"""Grab docs/images/transfers.png: a conversation with bob holding an offer, a transfer running and
one finished, in a window fed with the engine's events. Nothing connects: no socket is opened.

Run under a virtual screen so the real platform plugin (not offscreen) draws the window:
    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/take_transfers_screenshot.py [OUT.png]
ZP2P_SCREENSHOT_LANGUAGE=ko draws it in Korean (to check that no text is cut off)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QTimer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ZP2P_ALLOWED_NETS"] = "127.0.1.0/24"

from zp2p_gui.cli import build_parser  # noqa: E402
from zp2p_gui.core import events as ev  # noqa: E402
from zp2p_gui.history import FILE_NAME, HistoryStore  # noqa: E402
from zp2p_gui.ui import settings as prefs_store  # noqa: E402
from zp2p_gui.ui.app import create_app  # noqa: E402
from zp2p_gui.ui.i18n import Translations  # noqa: E402
from zp2p_gui.ui.main_window import MainWindow  # noqa: E402
from zp2p_gui.ui.paths import AppPaths  # noqa: E402

OUT = ROOT / "docs" / "images" / "transfers.png"
MIB = 1024 * 1024
BOB_KEY = "b0" * 16  # text in events only


def events(now: float) -> list[ev.Event]:
    alice = ev.Member("a1" * 8, "alice", "127.0.1.2", True, now - 600, key="a0" * 16)
    bob = ev.Member("b2" * 8, "bob", "127.0.1.3", False, now - 500, key=BOB_KEY)
    carol = ev.Member("c3" * 8, "carol", "127.0.1.4", False, now - 400, key="c0" * 16)
    return [
        ev.Hosting(host=alice.addr),
        ev.Presence(users=(alice, bob, carol)),
        ev.Direct(id="d1", key=BOB_KEY, nick="bob", text="Here are the photos from Saturday, and the slides.",
                  ts=now - 120),
        ev.Offer(id="t1", key=BOB_KEY, nick="bob", filename="Saturday photos", size=1234 * MIB, files=214),
        ev.OfferSent(id="t2", key=BOB_KEY, nick="bob", filename="budget-2027.xlsx", size=48 * MIB, files=1,
                     path="/home/alice/budget-2027.xlsx"),
        ev.Progress(id="t2", bytes=31 * MIB, size=48 * MIB, rate=9.6 * MIB),
        ev.TransferDone(id="t3", key=BOB_KEY, nick="bob", path="/home/alice/Downloads/slides.pdf", size=7 * MIB,
                        hash="00" * 32, hash_alg="sha256", resumed_from=0, incoming=True),
    ]


def main() -> int:
    app = create_app(sys.argv[:1])
    args = build_parser().parse_args(["--nick", "alice", "--data-dir", tempfile.mkdtemp()])
    paths = AppPaths.resolve(args.data_dir)
    history = HistoryStore(paths.data / FILE_NAME)
    settings = prefs_store.open_settings(paths.settings_file)
    translations = Translations(app)
    translations.apply(os.environ.get("ZP2P_SCREENSHOT_LANGUAGE", ""))
    window = MainWindow(args, settings, history, translations)
    window.resize(900, 600)
    window.show()
    window.activateWindow()
    window.welcome.hide()  # a first run's welcome: not what this picture is about
    window.direct.own_nick = "alice"
    for event in events(time.time()):
        window.on_event(event)
    window.direct.list.select(BOB_KEY)

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT

    def grab() -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
        print(f"saved {out} ({window.width()}x{window.height()})")
        window.close()

    QTimer.singleShot(800, grab)
    try:
        return app.exec()
    finally:
        history.close()


if __name__ == "__main__":
    sys.exit(main())
