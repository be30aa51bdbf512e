"""A headless node's start-up is mostly imports, so the modules it does not need on its way to
`searching` and `joined` stay out of it: Qt (the window only), asyncio (pulled in by
zmq.utils.monitor) and the host's actors (imported when the node hosts, or in the background once
it has joined). Nor does it load what it needs only after `searching`, or only sometimes: sqlite3
(the direct-message store opens once discovery runs), concurrent.futures (a passphrase room's key
derivation), tempfile (even when it writes a new identity), platformdirs (no --data-dir), shutil (argparse's
terminal width, for --help), argparse itself (a plain command line is read without it: cli.py),
hashlib with OpenSSL's _hashlib, and secrets (core/blake2.py), dataclasses with inspect
(core/records.py builds the classes), and logging with traceback and tokenize (core/lazylog.py
writes the headless node's log lines itself until the engine hands them over after joining).
Checked in a fresh interpreter that parses a headless command line, builds its Config and makes
a new identity, as `zp2p --headless` does on a first start before it can join, since this test
process has imported everything."""

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
    "zp2p_gui.net.direct",  # the direct port opens after the welcome (engine/direct.py `_direct_begin`)
    "zp2p_gui.net.zap",
    "nacl.signing",  # PyNaCl's Python API imports every binding it has (~7 ms): core/sodium.py calls libsodium
    "nacl.bindings",
)
AFTER_SEARCHING = (
    "sqlite3",  # dm_store.DmStore.open: the engine opens the store after it emitted `searching`
    "concurrent.futures",  # core/crypto.py: only a passphrase room's key derivation
    "tempfile",  # identity._write_private makes its temporary file itself
    "platformdirs",  # identity.data_dir: only without --data-dir
    "shutil",  # argparse's terminal width: cli.build_parser leaves it to --help and errors
    "argparse",  # cli.read_plain reads a plain command line; argparse only for help and errors
    "hashlib",  # OpenSSL's libcrypto: BLAKE2b comes from core/blake2.py
    "_hashlib",
    "hmac",
    "secrets",  # os.urandom does
    "dataclasses",  # 0.5 ms a class: core/records.py
    "inspect",
    "logging",  # core/lazylog.py: loaded in the background after joining (engine/hosting.py warm_up)
    "traceback",  # logging's
    "tokenize",
    "string",
    "ctypes",  # arenas.py calls mallopt through _cffi_backend, which PyNaCl needs anyway (~2 ms)
    "netifaces",  # net/interfaces.py: only a node without --bind reads its interfaces (the probe binds)
    "signal",  # headless.py takes _signal: signal.py builds enums of ~70 members at import
    "socket",  # engine/inbox.py wakes the engine through an eventfd on Linux; a socket pair elsewhere
    "selectors",  # socket's
)
WITH_THE_MEMBER_ROLES = (  # engine/node.py `_set_up` imports them after `searching`, beside discovery
    "zp2p_gui.identity",
    "zp2p_gui.keycache",  # cli.py: only a passphrase room prefetches its keys
    "zp2p_gui.core.conversation",
    "zp2p_gui.core.ordering",
    "zp2p_gui.net.receiver",
    "zp2p_gui.net.sender",
    "zp2p_gui.net.registration",
)
WITH_THE_IDENTITY = (  # identity.py: the engine reads the identity after it emitted `searching`
    "zp2p_gui.core.sodium",
    "nacl._sodium",  # libsodium through PyNaCl's cffi library (~1 ms)
)  # (cffi's _cffi_backend loads before: arenas.py calls mallopt through it)

PROBE = ("import sys, json, zp2p_gui.__main__ as entry, zp2p_gui.headless\n"
         "args = entry.parse_command_line(['--headless', '--nick', 'probe', '--bind', '127.0.3.2',\n"
         "                                        '--scan', '127.0.3.0/24', '--data-dir', sys.argv[1]])\n"
         "entry.setup_logging(args.verbose, args.headless)\n"
         "entry.config_from_args(args)\n"
         "from pathlib import Path\nfrom zp2p_gui.identity import Identity\nIdentity.load(Path(sys.argv[1]))\n"
         "print(json.dumps(sorted(sys.modules)))")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every module a fresh `zp2p --headless` has imported before its engine starts."""
    folder = tmp_path_factory.mktemp("data")
    out = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, timeout=60,
                         check=True)
    return set(json.loads(out.stdout))


@pytest.fixture(scope="module")
def before_searching(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every module a fresh `zp2p --headless` has imported when its engine would emit `searching`:
    the probe without the identity, which the engine reads after that."""
    folder = tmp_path_factory.mktemp("data")
    probe = PROBE.split("from pathlib")[0] + "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe, str(folder)], capture_output=True, text=True, timeout=60,
                         check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("heavy", HEAVY)
def test_headless_start_does_not_import(loaded: set[str], heavy: str) -> None:
    assert heavy not in loaded, f"{heavy} is imported on the headless start path"


@pytest.mark.parametrize("later", AFTER_SEARCHING)
def test_headless_start_leaves_for_later(loaded: set[str], later: str) -> None:
    assert later not in loaded, f"{later} is imported before the headless node searches"


@pytest.mark.parametrize("role", WITH_THE_MEMBER_ROLES)
def test_member_roles_load_after_searching(before_searching: set[str], role: str) -> None:
    assert role not in before_searching, f"{role} is imported before the headless node searches"


def test_the_member_roles_are_loaded_when_made(tmp_path) -> None:
    """The probe above means something only if those modules are what `_set_up` does load."""
    probe = PROBE.replace("Identity.load(Path(sys.argv[1]))\n",
                          "from zp2p_gui.core.config import Config\nfrom zp2p_gui.engine.node import Node\n"
                          "node = Node(Config(nick='probe', data_dir=Path(sys.argv[1])), lambda event: None)\n"
                          "node.addr = '127.0.3.2'\nnode._set_up()\nnode._receiver.close_all()\n"
                          "node._roles.stop_all()\nnode._sender.close()\n")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=60,
                         check=True)
    assert set(WITH_THE_MEMBER_ROLES) - {"zp2p_gui.keycache"} <= set(json.loads(out.stdout))


def test_the_venv_starts_without_an_import_hook() -> None:
    """pyproject.toml names the packages' root, so `pip install -e .` (scripts/setup.sh) puts one
    path in a .pth file. Without it setuptools installs an import hook for a flat layout, which
    site imports at every start of every Python in the venv, pathlib, re and urllib.parse with it:
    ~12 ms of each launch, before zp2p's first line, and ~15 ms of a join."""
    out = subprocess.run([sys.executable, "-c", "import sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, timeout=60, check=True)
    hooks = [name for name in json.loads(out.stdout) if name.startswith("__editable__")]
    assert not hooks, f"site imported {hooks}: run scripts/setup.sh again, or check pyproject's package-dir"


def test_the_probe_sees_the_engine(loaded: set[str]) -> None:
    """The check above means something only if the probe did import the headless path."""
    assert {"zp2p_gui.headless", "zp2p_gui.engine.node", "zmq", "zp2p_gui.core.records", "zp2p_gui.cli"} <= loaded


def test_libsodium_loads_with_the_identity(loaded: set[str], tmp_path) -> None:
    """Before the identity (what the engine has loaded when it emits `searching`) libsodium is not
    loaded; the identity loads it, beside discovery, on the way to the register it signs."""
    probe = PROBE.split("from pathlib")[0] + "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=60,
                         check=True)
    assert not set(json.loads(out.stdout)) & set(WITH_THE_IDENTITY)
    assert set(WITH_THE_IDENTITY) <= loaded


def test_host_roles_load_on_demand() -> None:
    from zp2p_gui.engine.hosting import host_roles
    from zp2p_gui.net.beacon import Beacon
    from zp2p_gui.net.host import Host

    assert host_roles() == (Beacon, Host)


def test_records_not_made_at_start_stay_pending(tmp_path) -> None:
    """core/records.py completes a record class (fields, checks, methods) at its first use; a
    start that used them all (a registry walking the classes, say) would pay for ~90 of them again."""
    probe = PROBE.replace("print(json.dumps(sorted(sys.modules)))",
                          "from zp2p_gui.core import events as ev\n"
                          "print(json.dumps([type(cls.__dict__['__init__']).__name__ for cls in"
                          " (ev.Offer, ev.Progress, ev.TransferDone, ev.Gap, ev.Rtt)]))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=60,
                         check=True)
    assert json.loads(out.stdout) == ["_Pending"] * 5
