"""The search before the engine: where a node listens (its address, the addresses it scans, each
checked against ZP2P_ALLOWED_NETS), and, for the headless front end, discovery opened before the
engine's modules load. A launch spent most of its way to `searching` importing the engine, its
parts and their records, none of which listening for a beacon needs; opened first, discovery's SUB
connects and hears beacons in zmq's I/O thread while the engine loads, and what it hears waits in
the inbox the engine then takes over, so no beacon is lost (engine/node.py `Node._begin`)."""

from __future__ import annotations

import time
from typing import Callable

import zmq

from .. import since_start
from ..core import events as ev
from ..core.config import Config
from ..core.errors import Code, lookup
from ..core.records import record
from ..core.validation import ValidationError, is_allowed, ranges_allowed, scan_addresses
from ..net.discovery import Discovery
from ..net.interfaces import address_of, slash24
from ..net.roles import Worker, spawn_thread
from .inbox import Inbox

IO_THREADS = 2  # libzmq I/O threads: the direct port's and the file actor's CURVE work apart (net/files.py)


@record
class Plan:
    """Where the node listens: its address, the ranges it reports, the addresses it scans."""
    addr: str
    ranges: tuple[str, ...]
    targets: list[str]

    def first_targets(self, config: Config) -> list[str]:
        """A node given --host listens to that host alone; any other to its scan."""
        return [config.host] if config.host else self.targets


def plan_search(config: Config) -> Plan | tuple[Code, str]:
    """The checked plan, or the error that ends the start (a code of core/errors.py and why)."""
    if config.bind:
        addr = config.bind
    else:
        iface = address_of(config.interface)
        if iface is None:
            what = f"interface {config.interface!r}" if config.interface else "a default-route interface"
            return Code.NO_INTERFACE, f"found no IPv4 address on {what}; pass --bind IP"
        addr = iface.addr
    try:
        ranges = config.scan or ((slash24(addr),) if not config.host else ())
        targets = [ip for ip in scan_addresses(ranges) if ip != addr]
    except ValidationError as exc:
        return lookup(exc.code) or Code.INTERNAL, exc.detail
    allowed = config.allowed_nets
    checked = [addr, *([config.host] if config.host else [])]
    if not ranges_allowed(ranges, allowed):
        checked += targets
    outside = [ip for ip in checked if not is_allowed(ip, allowed)]
    if outside:
        return Code.NOT_ALLOWED, f"{outside[0]} is outside ZP2P_ALLOWED_NETS ({', '.join(allowed)})"
    return Plan(addr, tuple(ranges) or (config.host,), targets)


def searching(plan: Plan) -> ev.Searching:
    """The `searching` event, stamped with the time since zp2p's first line (see since_start)."""
    wall_ms, cpu_ms = since_start()
    return ev.Searching(ranges=plan.ranges, import_ms=round(wall_ms, 2), import_cpu_ms=round(cpu_ms, 2))


@record
class Opened:
    """Discovery already running for a node whose engine is not made yet: the engine takes over
    its inbox (with whatever beacons it holds), its context and the discovery role."""
    plan: Plan
    ctx: zmq.Context
    inbox: Inbox
    discovery: Discovery
    worker: Worker
    deadline: float  # when the search window ends, counted from discovery's start


def open_search(config: Config, emit: Callable[[ev.Event], None]) -> Opened | None:
    """Start discovery, then say `searching`, before the engine loads; None when the plan fails
    or has nothing to listen to, which the engine then reports or handles itself as before."""
    plan = plan_search(config)
    if not isinstance(plan, Plan) or not plan.first_targets(config):
        return None
    ctx, inbox = zmq.Context.instance(io_threads=IO_THREADS), Inbox()
    discovery = Discovery(ctx, inbox.put, plan.first_targets(config), config.port, config.limits)
    worker = spawn_thread(discovery.name, discovery.run)
    deadline = time.monotonic() + config.timings.discovery_window
    emit(searching(plan))
    return Opened(plan, ctx, inbox, discovery, worker, deadline)
