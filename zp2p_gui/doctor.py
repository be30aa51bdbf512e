"""`zp2p --doctor`: what a support thread asks first, printed in one go. Which interface and
address this node would use, whether the ports are free, whether a host answers, and what
the firewall must allow. Scans only what the user named, or what ZP2P_ALLOWED_NETS allows."""

from __future__ import annotations

import argparse
import ipaddress
import platform
import queue
import socket
import sys
import threading
import time
from typing import Any, TextIO

import zmq

from .cli import ALLOWED_NETS_ENV, config_from_args
from .core import crypto
from .core.config import Config
from .core.validation import ValidationError, is_allowed, scan_addresses
from .identity import IDENTITY_FILE, data_dir
from .net.discovery import Discovery
from .net.interfaces import address_of, list_interfaces, slash24
from .net.messages import BeaconHeard, Stop

PORT_NAMES = ("beacon", "registry", "relay in", "relay out", "direct messages")


def port_state(ip: str, port: int) -> str:
    """'free' when this node could bind it now; a bound port usually means a zp2p host runs here."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind((ip, port))
        return "free"
    except OSError as exc:
        return f"in use ({exc.strerror})"
    finally:
        probe.close()


def scan_targets(config: Config, addr: str) -> tuple[list[str], str]:
    """(addresses to ask, why); an empty list says why no discovery runs."""
    if config.host:
        ranges, why = [f"{config.host}/32"], f"--host {config.host}"
    elif config.scan:
        ranges, why = list(config.scan), "--scan " + " ".join(config.scan)
    elif config.allowed_nets and any(ipaddress.IPv4Network(slash24(addr)).subnet_of(ipaddress.IPv4Network(net))
                                     for net in config.allowed_nets):
        ranges, why = [slash24(addr)], f"{slash24(addr)} (allowed by {ALLOWED_NETS_ENV})"
    else:
        return [], f"skipped: pass --scan CIDR or --host IP (or set {ALLOWED_NETS_ENV} to allow the default /24)"
    targets = scan_addresses(ranges)  # our own address too: a host already running here is worth knowing
    outside = [ip for ip in targets if not is_allowed(ip, config.allowed_nets)]
    if outside:
        return [], f"skipped: {outside[0]} is outside {ALLOWED_NETS_ENV} ({', '.join(config.allowed_nets)})"
    return targets, why


def discover(config: Config, targets: list[str], seconds: float) -> dict[str, dict[str, Any] | None]:
    """Beacons heard within `seconds`, by host address (None: a seed-era host)."""
    ctx = zmq.Context.instance()
    heard: queue.Queue[Any] = queue.Queue()
    actor = Discovery(ctx, heard.put, targets, config.port, config.limits, 200, 1000)
    thread = threading.Thread(target=actor.run, name="zp2p-doctor-discovery", daemon=True)
    thread.start()
    pipe = actor.connect_pipe()
    hosts: dict[str, dict[str, Any] | None] = {}
    end = time.monotonic() + seconds
    try:
        while (left := end - time.monotonic()) > 0:
            try:
                item = heard.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(item, BeaconHeard):
                hosts[item.ip] = item.desc
    finally:
        pipe.send_pyobj(Stop())
        thread.join(2.0)
        pipe.close(0)
    return hosts


def firewall_hints(port: int) -> list[str]:
    last = port + 5
    common = (f"a host needs incoming TCP {port}-{port + 3}, every node incoming TCP {port + 4} for direct messages "
              f"(without it they come through the host) and {last} to send files")
    system = platform.system()
    if system == "Windows":
        return [common, f'netsh advfirewall firewall add rule name="zp2p" dir=in action=allow protocol=TCP '
                        f"localport={port}-{last} profile=private"]
    if system == "Darwin":
        return [common, "System Settings > Network > Firewall > Options: allow incoming connections for zp2p"]
    return [common, f"ufw: sudo ufw allow {port}:{last}/tcp", f"firewalld: sudo firewall-cmd --add-port={port}-{last}/tcp"]


def describe_host(desc: dict[str, Any] | None, config: Config, room_id: str | None) -> str:
    if desc is None:
        return "seed-era host without a room description (zp2p will not join it)"
    if desc["secure"]:  # its beacon names no room: ours only if our passphrase gives its room id
        text = f"a private room (room id {desc['room_id'][:12]}...)"
        ours = crypto.beacon_is_ours(desc, config.room, room_id)
        return text + (" -> your passphrase opens it: you can join" if ours else
                       " -> not yours, or your passphrase or room name differs")
    text = f"room {desc['room']!r}, host {desc['nick']!r}, {desc['members']} member(s), open"
    if desc["room"] == config.room:
        refusal = crypto.beacon_refusal(desc, config.room, room_id)
        text += f" -> {refusal[1]}" if refusal else " -> you can join"
    return text


def report(config: Config, out: TextIO) -> int:
    """Print the diagnosis; 0 when this node has an address to use, 1 when it has none."""
    def say(key: str, value: object) -> None:
        print(f"{key + ':':<12} {value}", file=out, flush=True)

    say("zp2p", f"pyzmq {zmq.__version__}, libzmq {zmq.zmq_version()}, "
                f"CURVE {'available' if zmq.has('curve') else 'MISSING (passphrase rooms cannot work)'}")
    names = ", ".join(f"{i.name} {i.addr}" for i in list_interfaces()) or "none with IPv4"
    say("interfaces", names)
    if config.bind:
        addr = config.bind
        say("address", f"{addr} (--bind)")
    else:
        iface = address_of(config.interface)
        if iface is None:
            say("address", f"none: no IPv4 address on {config.interface or 'a default-route interface'}; pass --bind IP")
            return 1
        addr = iface.addr
        say("address", f"{addr} on {iface.name} ({iface.network})")
    if not is_allowed(addr, config.allowed_nets):
        say("address", f"{addr} is outside {ALLOWED_NETS_ENV} ({', '.join(config.allowed_nets)}); the node will refuse it")
    folder = data_dir(config.data_dir)
    say("data", f"{folder} (identity {'present' if (folder / IDENTITY_FILE).exists() else 'created on first start'})")
    room_id = None
    if config.passphrase is not None and zmq.has("curve"):
        started = time.perf_counter()
        room_id = crypto.room_keys(config.passphrase, config.room).room_id
        say("room", f"{config.room!r} with passphrase, room id {room_id[:12]}... "
                    f"(key derivation {1000 * (time.perf_counter() - started):.0f} ms)")
    else:
        say("room", f"{config.room!r}, open (no passphrase)")
    for offset, name in enumerate(PORT_NAMES):
        say(f"port {config.port + offset}", f"{name}: {port_state(addr, config.port + offset)}")
    targets, why = scan_targets(config, addr)
    say("discovery", why)
    if targets:
        hosts = discover(config, targets, max(0.5, config.timings.discovery_window))
        for ip, desc in sorted(hosts.items()):
            say("host", f"{ip} answers: {describe_host(desc, config, room_id)}")
        if not hosts:
            say("host", f"none answered within {max(0.5, config.timings.discovery_window):.1f} s "
                        f"on port {config.port} ({len(targets)} address(es) asked)")
    for hint in firewall_hints(config.port):
        say("firewall", hint)
    return 0


def run_doctor(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Entry point of `zp2p --doctor`; bad options are reported like the headless mode does (exit 2)."""
    try:
        config = config_from_args(args, nick=args.nick or "doctor")
    except ValidationError as exc:
        print(f"zp2p --doctor: {exc.detail}", file=out)
        return 2
    return report(config, out)
