"""The file data path's sockets, owned by the file actor (net/files.py): its own ROUTER on P+5,
where recipients' gets arrive and chunks go back, and one DEALER per member it receives from, to
that member's P+5. No CURVE here: every frame is sealed with its transfer's key
(core/file_seal.py), so this path costs one AEGIS-256 pass per chunk instead of CURVE's
XSalsa20-Poly1305, and no chunk crosses the direct actor's thread.

What an outsider can do to the port is bounded: its ZAP domain admits connections only from the
addresses of current room members (net/zap.py), a frame larger than a get is refused by libzmq
(MAXMSGSIZE), and a frame whose tag names no transfer costs one dict lookup (net/files.py)."""

from __future__ import annotations

import itertools

import zmq

from ..core.config import Limits
from ..core.file_limits import CHUNK, CREDIT
from ..core.file_seal import HEADER_BYTES, MAC_BYTES
from . import zap
from ..core.lazylog import Log
from .actor import BIND_PATIENCE, Actor, bind_with_retry, tune
from .dealers import io_affinity
from .endpoints import tcp

log = Log(__name__)

_domains = itertools.count(1)
GET_MAX = HEADER_BYTES + MAC_BYTES  # the largest frame the ROUTER takes: a get (header, empty sealed body)
CHUNK_MAX = CHUNK + MAC_BYTES  # the largest frame a DEALER takes: a sealed chunk
DATA_HWM = 4 * CREDIT  # frames queued each way per connection; beyond, dropped (the recipient asks again)


class DataPort:
    """The ROUTER of this node's file data port, and the DEALERs to other members' ones."""

    def __init__(self, actor: Actor, limits: Limits, addr: str, port: int, io_thread: int) -> None:
        self.actor = actor
        self.limits = limits
        self.addr = addr
        self.port = port
        self.io_thread = io_thread
        self.domain = f"{zap.FILES_DOMAIN}{next(_domains)}"
        self.router: zmq.Socket | None = None
        self._dealers: dict[str, tuple[str, zmq.Socket]] = {}  # identity key -> (address, DEALER)
        self._holds_zap = False

    def open(self) -> str:
        """Bind the ROUTER; an error text (and no ROUTER: this node then cannot send files) if
        the port is taken."""
        zap.acquire(self.actor.ctx)
        self._holds_zap = True
        zap.admit_addresses(self.actor.ctx, self.domain, frozenset())
        router = self._tuned(zmq.ROUTER, GET_MAX)
        router.setsockopt_string(zmq.ZAP_DOMAIN, self.domain)
        self.actor.add_socket(router)
        try:
            bind_with_retry(router, f"tcp://{self.addr}:{self.port}", BIND_PATIENCE)
        except zmq.ZMQError as exc:
            self.actor.drop_socket(router)
            return f"cannot listen on {self.addr}:{self.port}: {exc}"
        self.router = router
        return ""

    def close(self) -> None:
        if self._holds_zap:
            self._holds_zap = False
            zap.forget(self.domain)
            zap.release(self.actor.ctx)

    def _tuned(self, kind: int, max_bytes: int) -> zmq.Socket:
        sock = tune(self.actor.ctx.socket(kind), self.limits, bound=False, reconnect_ms=100, reconnect_max_ms=1000)
        sock.setsockopt(zmq.MAXMSGSIZE, max_bytes)
        sock.setsockopt(zmq.SNDHWM, DATA_HWM)
        sock.setsockopt(zmq.RCVHWM, DATA_HWM)
        sock.setsockopt(zmq.AFFINITY, io_affinity(self.actor.ctx, self.io_thread))
        return sock

    def members(self, wanted: dict[str, str]) -> None:
        """The room's members now (key -> address): only their addresses may connect here, and
        the DEALERs to members that left or moved close."""
        zap.admit_addresses(self.actor.ctx, self.domain, frozenset(wanted.values()))
        for key, (addr, dealer) in list(self._dealers.items()):
            if wanted.get(key) != addr:
                del self._dealers[key]
                self.actor.drop_socket(dealer)

    def owns(self, sock: zmq.Socket) -> bool:
        return sock is self.router or any(sock is d for _, d in self._dealers.values())

    def ask(self, key: str, addr: str, frames: list) -> None:
        """A get to the member's data port; dropped when it cannot go now (asked again on a stall)."""
        known = self._dealers.get(key)
        if known is None or known[0] != addr:
            if known is not None:
                self.actor.drop_socket(known[1])
            dealer = self._tuned(zmq.DEALER, CHUNK_MAX)
            dealer.connect(tcp(addr, self.port, self.addr))
            known = self._dealers[key] = (addr, self.actor.add_socket(dealer))
        try:
            known[1].send_multipart(frames, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            log.debug("files: the get queue to %s is full; dropped", addr)

    def answer(self, route: bytes, frames: list) -> None:
        """A chunk back to the connection its get came on; dropped when that queue is full."""
        if self.router is None:
            return
        try:
            self.router.send_multipart([route, *frames], zmq.NOBLOCK, copy=False)
        except zmq.Again:
            log.debug("files: a recipient's chunk queue is full; dropped")
