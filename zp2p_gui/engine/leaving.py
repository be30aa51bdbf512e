"""Leaving politely: flush what is unconfirmed, say goodbye (a member's `leave`, a host's
handover to its successor), then let go once the host has taken our leave or time is up."""

from __future__ import annotations

import time

from ..core.codec import encode
from ..core.election import successors
from ..net.messages import Handover, Quit
from .base import INBOX, EngineBase
from .states import GOING, State, Trigger

FLUSH_TIME = 0.5  # how long a connected node waits for its last messages to be confirmed
FAREWELL_TIME = 0.3  # how long a host's handover, or an unconnected goodbye, has to go out


class Leaving(EngineBase):
    @INBOX.on(Quit)
    def _begin_quit(self, request: Quit) -> None:
        if self.state in GOING:
            return
        self._fire(Trigger.QUIT)
        self._next_tick = 0.0
        self._quit_deadline = time.monotonic() + (FLUSH_TIME if self.machine.connected else 0.0)

    def _quit_tick(self, now: float) -> None:
        if self.state is State.LEAVING and (not len(self._chat.outbox) or now >= self._quit_deadline):
            self._say_goodbye(now)
        elif self.state is State.FAREWELL and now >= self._quit_deadline:
            self._fire(Trigger.DONE)

    def _say_goodbye(self, now: float) -> None:
        self._fire(Trigger.FLUSHED)
        self._quit_deadline = now + FAREWELL_TIME
        others = successors(self.roster, self.node_id)
        if self.hosting and others:
            self._roles.tell("host", Handover(others[0].node_id, others[0].addr))
        elif self.machine.connected and not self.hosting:
            self._quit_deadline = now + self.config.timings.request_timeout
            self._send(encode("leave", node_id=self.node_id))
        else:
            self._fire(Trigger.DONE)
