"""Grab docs/screenshot.png: the window in a real loopback conversation with a headless peer.

Run under a virtual screen so the real platform plugin (not offscreen) draws the window:
    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/take_screenshot.py
Only loopback is used (127.0.1.0/24, ports 25900-25903)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ZP2P_ALLOWED_NETS"] = "127.0.1.0/24"

from zp2p_gui.cli import build_parser  # noqa: E402
from zp2p_gui.history import FILE_NAME, HistoryStore  # noqa: E402
from zp2p_gui.ui import settings as prefs_store  # noqa: E402
from zp2p_gui.ui.app import create_app  # noqa: E402
from zp2p_gui.ui.i18n import Translations  # noqa: E402
from zp2p_gui.ui.main_window import MainWindow  # noqa: E402
from zp2p_gui.ui.paths import AppPaths  # noqa: E402

NET, PORT = "127.0.1", "25900"
OUT = ROOT / "docs" / "screenshot.png"
SCRIPT = [  # (delay ms, who, text)
    (300, "bob", "Hi! I started zp2p first, so I'm hosting the room."),
    (700, "alice", "Found you in 6 ms. No server to install at all?"),
    (1100, "bob", "Notes for the meeting: https://example.org/agenda"),
    (1500, "alice", "안녕하세요! 한국어도 잘 보이네요."),
    (1900, "bob", "네, 잘 보여요. 호스트가 나가도 방은 유지됩니다."),
    (2300, "carol", "저도 들어왔어요. 반가워요! 👍🎉"),
]


def peer(nick: str, host: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "zp2p_gui", "--headless", "--nick", nick, "--bind", f"{NET}.{host}",
         "--scan", f"{NET}.0/24", "--port", PORT, "--discovery-window", "0.3", "--data-dir", tempfile.mkdtemp()],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)


def main() -> int:
    bob = peer("bob", 3)
    json.loads(bob.stdout.readline())  # searching
    json.loads(bob.stdout.readline())  # hosting
    carol = peer("민지", 4)
    app = create_app(sys.argv[:1])
    args = build_parser().parse_args(["--nick", "alice", "--bind", f"{NET}.2", "--scan", f"{NET}.0/24",
                                      "--port", PORT, "--discovery-window", "0.3", "--data-dir", tempfile.mkdtemp()])
    paths = AppPaths.resolve(args.data_dir)
    history = HistoryStore(paths.data / FILE_NAME)
    settings = prefs_store.open_settings(paths.settings_file)
    translations = Translations(app)
    translations.apply(prefs_store.load(settings).language)
    window = MainWindow(args, settings, history, translations)
    window.resize(820, 520)
    window.show()
    window.activateWindow()  # the user is looking: no unread badge on the room shown
    window.connect_now()
    peers = {"bob": bob, "carol": carol}
    for delay, who, text in SCRIPT:
        if who in peers:
            QTimer.singleShot(delay, lambda p=peers[who], t=text: (p.stdin.write(t + "\n"), p.stdin.flush()))
        else:
            QTimer.singleShot(delay, lambda t=text: window.session.say(t))

    def grab() -> None:
        OUT.parent.mkdir(exist_ok=True)
        window.grab().save(str(OUT))
        print(f"saved {OUT} ({window.width()}x{window.height()})")
        window.close()

    QTimer.singleShot(3200, grab)
    try:
        return app.exec()
    finally:
        history.close()
        for proc in (bob, carol):
            proc.kill()
            proc.wait(5)


if __name__ == "__main__":
    sys.exit(main())
