"""An unlucky network for the file tests: the real headless node, whose first `file_done` is
lost on the way (dropped before it is sent), as when the connection breaks right after the
recipient verified a transfer. Used as a harness wrapper:
`python -m tests.integration.lost_done <python> -m zp2p_gui --headless ...`."""

from __future__ import annotations

import sys
from typing import Any

from zp2p_gui.net.file_transfers import Transfer
from zp2p_gui.net.files import FileLink

_tell = FileLink._tell
_lost: list[str] = []


def losing_first_done(self: FileLink, t: Transfer, kind: str, **fields: Any) -> None:
    if kind == "file_done" and not _lost:
        _lost.append(t.id)
        return
    _tell(self, t, kind, **fields)


if __name__ == "__main__":
    FileLink._tell = losing_first_done  # type: ignore[method-assign]
    from zp2p_gui.__main__ import main

    sys.exit(main(sys.argv[4:]))  # after "<python> -m zp2p_gui"
