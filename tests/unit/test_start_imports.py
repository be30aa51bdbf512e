"""A headless node's start-up is mostly imports, so the modules it does not need on its way to
`searching` and `joined` stay out of it: Qt (the window only), asyncio (pulled in by
zmq.utils.monitor) and the host's actors (imported when the node hosts, or in the background once
it has joined). Checked in a fresh interpreter, since this test process has imported everything."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "PySide6",  # the window
    "asyncio",  # zmq.asyncio and zmq.utils.monitor
    "ssl",
    "zmq.auth.thread",  # its ZAP handler runs an asyncio loop; net/zap.py has its own
    "zmq.asyncio",
    "zp2p_gui.ui",
    "zp2p_gui.net.host",  # host-only actors: engine/hosting.host_roles imports them on demand
    "zp2p_gui.net.relay",
    "zp2p_gui.net.registry",
    "zp2p_gui.net.beacon",
    "zp2p_gui.net.admission",
)

PROBE = "import sys, json, zp2p_gui.__main__, zp2p_gui.headless; print(json.dumps(sorted(sys.modules)))"


@pytest.fixture(scope="module")
def loaded() -> set[str]:
    """Every module a fresh `zp2p --headless` has imported before its engine starts."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("heavy", HEAVY)
def test_headless_start_does_not_import(loaded: set[str], heavy: str) -> None:
    assert heavy not in loaded, f"{heavy} is imported on the headless start path"


def test_the_probe_sees_the_engine(loaded: set[str]) -> None:
    """The check above means something only if the probe did import the headless path."""
    assert {"zp2p_gui.headless", "zp2p_gui.engine.node", "zmq"} <= loaded


def test_host_roles_load_on_demand() -> None:
    from zp2p_gui.engine.hosting import host_roles
    from zp2p_gui.net.beacon import Beacon
    from zp2p_gui.net.host import Host

    assert host_roles() == (Beacon, Host)
