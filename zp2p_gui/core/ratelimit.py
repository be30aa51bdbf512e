"""Token bucket: one flooding member spends its own budget, not the room's."""

from __future__ import annotations


class TokenBucket:
    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = now

    def take(self, now: float, count: int = 1) -> bool:
        """True when `count` more messages may pass at time `now`; a rate of 0 means no limit.
        A batch larger than the burst passes on a full bucket (costing the burst), else it
        could never pass."""
        if self.rate <= 0:
            return True
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        cost = min(float(count), self.burst)
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False


class AddressBuckets:
    """One token bucket per source address, in a table of bounded size: a peer that sends
    requests faster than it could need them spends its own budget, and a flood of new
    addresses evicts the least recently seen ones instead of growing the table."""

    def __init__(self, rate: float, burst: int, max_addresses: int = 1024) -> None:
        self.rate = rate
        self.burst = burst
        self.max_addresses = max_addresses
        self._buckets: dict[str, TokenBucket] = {}

    def take(self, addr: str, now: float, count: int = 1) -> bool:
        """True when `addr` may make `count` more requests at time `now`."""
        bucket = self._buckets.pop(addr, None)
        if bucket is None:
            if len(self._buckets) >= self.max_addresses:
                del self._buckets[next(iter(self._buckets))]
            bucket = TokenBucket(self.rate, self.burst, now)
        self._buckets[addr] = bucket  # re-inserted: dict order is least recently seen first
        return bucket.take(now, count)

    def __len__(self) -> int:
        return len(self._buckets)
