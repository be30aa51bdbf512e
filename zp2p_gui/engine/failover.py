"""Searching for a host, and finding a new one when ours is lost: beacons, the probe that tells
a slow host from a dead one, the succession order, and the search window's end."""

from __future__ import annotations

import time
from ..core import events as ev
from ..core.codec import encode
from ..core.election import successors
from ..core.errors import Code
from ..core.events import Cause
from ..core.lazylog import Log
from ..core.takeover import steps_to_wait
from ..core.validation import is_allowed
from ..net.discovery import Discovery
from ..net.messages import Alive, BeaconHeard, Connect, Disconnect, HostLost, Probe, Request
from .base import INBOX, EngineBase
from .states import ATTACHED, HOST_UP, LOOKING, State, Trigger

log = Log(__name__)

WORDS = {Cause.HOST_CRASHED: "disconnected", Cause.HOST_SILENT: "silent", Cause.HOST_LEFT: "left",
         Cause.NO_ANSWER: "no answer"}  # the English `reason` of Reconnecting, for logs and the CLI
RECEIVER_CAUSES = {"disconnected": Cause.HOST_CRASHED, "silent": Cause.HOST_SILENT}


class Failover(EngineBase):
    # -- searching
    def _search(self, targets: list[str], promote_after: float, fast: bool = False) -> None:
        """Listen for beacons at targets; promote ourselves when promote_after passes unanswered.
        The window counts from when the discovery thread runs, not from before its start, so a
        loaded machine's thread start-up is not taken out of the time a host has to answer."""
        self._roles.stop("discovery")
        if targets:
            ivl = (100, 500) if fast else (1000, 5000)
            self._roles.start(Discovery(self.ctx, self._inbox.put, targets, self.config.port, self.config.limits, *ivl))
        self._deadline = time.monotonic() + promote_after

    def _initial_targets(self) -> list[str]:
        return [self.config.host] if self.config.host else self._targets

    @INBOX.on(BeaconHeard)
    def _on_beacon(self, heard: BeaconHeard) -> None:
        desc = heard.desc
        if desc is None:
            self._legacy(heard.ip)
            return
        if not self._sec.is_ours(desc) or desc["host_id"] == self.node_id:
            return
        refusal = self._sec.refusal(desc)
        if refusal is not None:  # said only if no host of ours turns up before the deadline
            self._refused = self._refused or refusal
            return
        if self.state in LOOKING:
            self._heard_after = (desc["host_id"], tuple(desc["after"]))
            self._join(heard.ip)
        elif self.state in HOST_UP:
            self._consider_merge(heard.ip, desc)

    def _legacy(self, ip: str) -> None:
        if ip not in self._legacy_seen:
            self._legacy_seen.add(ip)
            self._emit(ev.LegacyHost(host=ip))
            log.warning("%s runs a seed-era host without a room description; not joining it", ip)

    def _deadline_passed(self, now: float) -> None:
        if self.state is State.SEARCHING and self._refused:
            self._say_refused()
        host = self.config.host
        if self.state is State.SEARCHING and host and host != self.addr:
            if not self._no_host_reported:
                self._no_host_reported = True
                self._error(Code.NO_HOST, f"no zp2p host answers at {host}; still trying")
            self._deadline = now + 3600
            return
        self._become_host(self.term + 1 if self._joined_once else 0)

    def _say_refused(self) -> None:
        """A host of our room's name that we cannot join (an open one while we have a passphrase)
        is no reason to stay out: it may be a decoy. Say why we did not join it, then go on as if no
        host had answered, which hosts the room here (or keeps looking at --host)."""
        code, detail = self._refused or ("", "")
        self._refused = None
        self._error(Code(code), f"{detail}; not joining it" + ("" if self.config.host else ", hosting the room here"))

    # -- losing the host
    @INBOX.on(HostLost)
    def _on_receiver_lost(self, lost: HostLost) -> None:
        self._on_host_lost(lost.host, RECEIVER_CAUSES.get(lost.reason, Cause.HOST_CRASHED))

    def _on_host_lost(self, ip: str, cause: Cause, successor: str | None = None) -> None:
        if ip != self.host_ip or self.state not in ATTACHED:
            return
        if cause is Cause.HOST_SILENT and not self._probing:
            self._probe(ip)
            return
        self._fail_over(ip, cause, successor)

    def _probe(self, ip: str) -> None:
        """Silence alone is not proof: a host starved of CPU (or flooded by a hostile peer) may
        just be late with its beat. Ask its registry on a fresh REQ, so nothing queued goes first;
        an answer of any kind within request_timeout means alive."""
        self._probing = True
        self._roles.tell("registration", Connect(ip))
        self._roles.tell("registration", Request(Probe(ip), encode("ping", node_id=self.node_id)))

    def _probe_answered(self, ip: str, answered: bool) -> None:
        self._probing = False
        if self.state not in ATTACHED:  # we began to leave, or moved on, while the probe was out
            return
        if not answered:
            self._fail_over(ip, Cause.HOST_SILENT, None)
        else:
            log.info("host %s was silent but answers: slow, not lost", ip)
            self._tell_receiver(Alive(time.monotonic()))

    def _fail_over(self, ip: str, cause: Cause, successor: str | None) -> None:
        lost = self.host_id
        log.info("host %s lost (%s)", ip, cause.value)
        self._fire(Trigger.HOST_LOST)
        self._emit(ev.Reconnecting(reason=f"host {ip} {WORDS[cause]}", cause=cause, host=ip,
                                   host_nick=self._nick_of(node_id=lost)))
        self._tell_receiver(Disconnect())
        self.host_ip = None
        order = successors(self.roster, lost)
        if successor is not None:
            order.sort(key=lambda m: m.node_id != successor)
        rank = next((i for i, m in enumerate(order) if m.node_id == self.node_id), None)
        if rank is None:  # never welcomed into this room: a host that was slow to register us is
            # not gone; look for beacons as a newcomer does and join it again while it beacons
            log.warning("host %s has not welcomed us; looking for its beacon again", ip)
            self._search(self._initial_targets(), promote_after=self.config.timings.discovery_window)
            return
        if rank == 0:
            self._become_host(self.term + 1)
            return
        candidates = list(dict.fromkeys(m.addr for m in order[:rank] if is_allowed(m.addr, self.config.allowed_nets)))
        wait = steps_to_wait(order, rank) * self.config.timings.takeover_step
        self._search(candidates or self._initial_targets(), promote_after=wait, fast=True)
