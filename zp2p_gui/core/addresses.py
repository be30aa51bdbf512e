"""What one source address may claim at the host: members, roster changes and relayed messages.

A node id costs nothing to invent, so limits per node id let one machine multiply its share by
inventing ids: 40 fake members from one address delayed a failover by 40 s, 20 ids relayed 15x
what one member may, 1,393 renames redrew every member's roster 853 times. The host's address
check (the transport's Peer-Address) makes the address the one thing a sender cannot choose
freely, so the budgets below are per address. The tables are bounded by `AddressBuckets`."""

from __future__ import annotations

from .config import Limits
from .errors import Code
from .ratelimit import AddressBuckets
from .validation import ValidationError

MEMBERS_PER_ADDRESS = 8  # a few zp2p instances behind one NAT or on one machine, not a crowd
CHANGES_PER_S = 1.0  # joins and renames per address; refreshes (nothing changed) are free
CHANGES_BURST = 10


class AddressLimits:
    """The host's per-address budgets. Called by HostState under its lock, with its clock."""

    def __init__(self, limits: Limits, members_per_address: int = MEMBERS_PER_ADDRESS) -> None:
        self.members_per_address = members_per_address
        self._changes = AddressBuckets(CHANGES_PER_S, CHANGES_BURST)
        self._messages = AddressBuckets(limits.rate_per_s, limits.rate_burst)

    def check_change(self, addr: str, members_there: int, new: bool, now: float) -> None:
        """Raise the refusal for a join (`new`) or a rename from addr, or spend one change token."""
        if new and members_there >= self.members_per_address:
            raise ValidationError(Code.ADDRESS_FULL,
                                  f"{self.members_per_address} members are already registered from {addr}")
        if not self._changes.take(addr, now):
            raise ValidationError(Code.RATE_LIMITED, f"too many joins or renames from {addr}; try again shortly")

    def take_message(self, addr: str, now: float, count: int = 1) -> bool:
        """One relayed message (or a batch of `count`) from addr: every member there shares one member's rate."""
        return self._messages.take(addr, now, count)
