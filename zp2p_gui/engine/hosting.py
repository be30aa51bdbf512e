"""Hosting the room: bringing up the beacon and the host actor, watching for other hosts of the
room so split rooms merge, and retiring in favour of a host that outranks ours."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from ..core import events as ev
from ..core.election import beats
from ..core.errors import Code
from ..core.events import Cause
from ..core.fairshare import FairShare
from ..core.lazylog import Log, load_logging
from ..core.room import HostState
from ..core.validation import is_allowed
from ..net.actor import BIND_PATIENCE
from ..net.discovery import Discovery
from ..net.messages import Connect, MergeCheck, Redirect, Request, Serve
from .base import REPLIES, EngineBase
from .states import HOST_UP, Trigger

if TYPE_CHECKING:
    from ..net.beacon import Beacon
    from ..net.host import Host

log = Log(__name__)

HOST_ROLES = ("beacon", "host")
RETIRE_AFTER = 0.3  # the retired relay's farewell needs a moment on the wire before it closes
# Hosting again on this address: our previous host roles may still be releasing the ports (a
# stop waits 1 s, libzmq closes asynchronously; a window soak under a load average of 16 saw
# bind_failed end its run). A first start keeps the short wait, so another program's port is
# reported at once.
REBIND_PATIENCE = 6.0
MERGE_RETRY = 10.0  # a host that did not welcome us is asked again after this long, not per beacon
WARM_AFTER = 2.0  # seconds after joining or hosting that a node imports what it put off (warm_up)


def host_roles() -> tuple[type[Beacon], type[Host]]:
    """The host's actors, imported on first use: a node on its way to `searching` and `joined`
    does not pay for the relay, registry, beacon and connection guards it may never run."""
    from ..net.beacon import Beacon
    from ..net.host import Host

    return Beacon, Host


def warm_up() -> None:
    """Import the host's actors and hand the log lines over to `logging` (core/lazylog.py) in the
    background a while after joining or hosting, so a failover that promotes this member does not
    pay for the imports either, and the first seconds in the room (a first direct message opening
    its connection) do not share the interpreter with them."""
    timer = threading.Timer(WARM_AFTER, _warm)
    timer.name, timer.daemon = "zp2p-warm", True
    timer.start()


def _warm() -> None:
    host_roles()
    load_logging()


class Hosting(EngineBase):
    def _become_host(self, term: int) -> None:
        self._fire(Trigger.PROMOTE)
        self._roles.stop("discovery")
        lost = self.host_id
        self.epoch = time.time()
        self.term = term
        seed = [m for m in self.roster if m.node_id != lost]
        self._share = FairShare(wake=self._wake_relay)
        state = HostState(self.config.room, self.node_id, term, self.epoch, self.config.limits, seed=seed,
                          backlog=self._chat.recent, marks=self._chat.delivery.marks(), now=time.monotonic(),
                          held=[m for m in self.roster if m.node_id == lost], share=self._share,
                          trees=self._chat.trees)  # our relay's batch trees: our display need not hash them again
        t, lim, port, curve = self.config.timings, self.config.limits, self.config.ports, self._sec.curve
        beacon, host = host_roles()
        roles = [  # the host actor owns `state` from here on; the engine keeps no reference to it
            beacon(self.ctx, self._inbox.put, self.addr, port[0], self._my_desc(), t.beacon_period, lim),
            host(self.ctx, self._inbox.put, self.addr, (port[1], port[2], port[3]), state, t, lim, curve),
        ]
        patience = REBIND_PATIENCE if self._hosted_here else BIND_PATIENCE
        for actor in roles:
            actor.bind_patience = patience
            self._roles.start(actor)
        for actor in roles:
            actor.ready.wait(patience + 1.5)
        failed = next((actor for actor in roles if actor.failure), None)
        if failed is not None:  # e.g. the port is taken by another program: say so, do not claim to host
            return self._error(Code.BIND_FAILED, f"cannot host on {self.addr}: {failed.name}: {failed.failure}")
        self.host_id = self.node_id
        self._hosted_here = True
        self._emit(ev.Hosting(host=self.addr))
        warm_up()
        self._connect(self.addr)
        if not (self.config.host and not self.config.scan):
            self._watch()

    def _watch(self) -> None:
        """A host keeps a slow watch for other hosts of the room, so split rooms merge."""
        self._roles.stop("discovery")
        if self._targets:
            ivl = int(self.config.timings.watch_reconnect * 1000)
            self._roles.start(Discovery(self.ctx, self._inbox.put, self._targets, self.config.port,
                                        self.config.limits, ivl, max(ivl, 5000)))

    def _my_desc(self) -> dict[str, Any]:
        return {"room": self.config.room, "room_id": self._sec.room_id, "host_id": self.node_id,
                "nick": self.config.nick, "epoch": self.epoch, "term": self.term, "secure": self._sec.secure,
                "members": len(self.roster), "after": list(self._followed)}

    def _consider_merge(self, ip: str, desc: dict[str, Any]) -> None:
        """Two hosts of one room: the one that beats the other keeps it. A beacon is only a claim,
        so before anyone moves, our node registers with the other host on a registration client of
        its own; only its welcome (over CURVE with the room's key, in a passphrase room) moves us."""
        now = time.monotonic()
        if (self._merge is not None or self._merge_retry.get(ip, 0.0) > now or not beats(desc, self._my_desc())
                or not is_allowed(ip, self.config.allowed_nets)):
            return
        log.info("host %s claims to outrank ours; asking it to welcome us before moving", ip)
        self._merge = MergeCheck(ip, desc["host_id"], desc["term"])
        self._merge_retry[ip] = now + MERGE_RETRY
        from ..net.registration import MergeChecker  # with the member roles, after `searching` (engine/node.py)

        t, lim, port = self.config.timings, self.config.limits, self.config.ports
        self._roles.start(MergeChecker(self.ctx, self._inbox.put, self.addr, port[1], t, lim, self._sec.curve))
        self._roles.tell("merge", Connect(ip))
        self._roles.tell("merge", Request(self._merge, self._register_frame(ip)))

    @REPLIES.on(MergeCheck)
    def _on_merge_check(self, check: MergeCheck, msg: dict[str, Any] | None) -> None:
        """The other host answered (or not): move our room only if it welcomed us as what its beacon said."""
        if check != self._merge:
            return
        self._merge = None
        self._roles.stop("merge")
        proven = msg is not None and msg["k"] == "welcome" and msg["host_id"] == check.host_id
        if not proven:
            log.warning("host %s did not welcome us (%s); our room stays here", check.host,
                        "no answer" if msg is None else msg.get("code", msg["k"]))
        elif self.state in HOST_UP:
            self._retire_to(check.host, msg["term"])

    def _wake_relay(self) -> None:
        """Our display caught up with our relay's credit (core/fairshare.py): the relay goes on now."""
        self._roles.tell("host", Serve())

    def _retire_to(self, ip: str, term: int) -> None:
        log.info("host %s (term %s) welcomed us and outranks us (term %s); handing our room to it", ip, term, self.term)
        self._fire(Trigger.OUTRANKED)
        self._roles.stop("beacon")
        self._roles.tell("host", Redirect(ip))
        self._retire_at = time.monotonic() + RETIRE_AFTER
        self._emit(ev.Reconnecting(reason="merging with another host", cause=Cause.MERGING, host=self.addr,
                                   host_nick=self.config.nick))
        self._roles.stop("discovery")
        self._connect(ip)

    def _retire_tick(self, now: float) -> None:
        """Close the retired host roles once their farewell had time to go out (unless promoted again)."""
        if self._retire_at is not None and now >= self._retire_at:
            self._retire_at = None
            if not self.hosting:
                for name in HOST_ROLES:
                    self._roles.stop(name)
