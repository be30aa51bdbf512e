"""Token bucket: a burst, then a steady rate."""

from __future__ import annotations

from zp2p_gui.core.ratelimit import AddressBuckets, TokenBucket


def test_burst_then_refused() -> None:
    bucket = TokenBucket(rate=10.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]


def test_refills_at_the_rate() -> None:
    bucket = TokenBucket(rate=4.0, burst=2, now=0.0)
    bucket.take(0.0)
    bucket.take(0.0)
    assert not bucket.take(0.125)    # half a token
    assert bucket.take(0.25)         # a whole one after 1/rate s
    assert not bucket.take(0.25)


def test_refill_is_capped_at_the_burst() -> None:
    bucket = TokenBucket(rate=100.0, burst=2, now=0.0)
    assert [bucket.take(1000.0) for _ in range(3)] == [True, True, False]


def test_steady_rate_over_time() -> None:
    bucket = TokenBucket(rate=100.0, burst=300, now=0.0)
    passed = sum(bucket.take(i / 1000) for i in range(10_000))  # 1000 msgs/s for 10 s
    assert 300 + 990 <= passed <= 300 + 1001


def test_refused_attempts_do_not_spend_tokens() -> None:
    bucket = TokenBucket(rate=1.0, burst=1, now=0.0)
    assert bucket.take(0.0)
    assert not any(bucket.take(0.5) for _ in range(100))
    assert bucket.take(1.0)


def test_each_address_has_its_own_bucket() -> None:
    buckets = AddressBuckets(rate=1.0, burst=2)
    # addresses here are only table keys of a token bucket: no socket, nothing connects
    assert [buckets.take("10.0.0.1", 0.0) for _ in range(3)] == [True, True, False]  # a table key only
    assert buckets.take("10.0.0.2", 0.0)  # a table key only
    assert buckets.take("10.0.0.1", 1.0)  # a table key only


def test_the_table_is_bounded_and_forgets_the_least_recently_seen() -> None:
    buckets = AddressBuckets(rate=1.0, burst=1, max_addresses=3)
    for ip in ("a", "b", "c"):
        buckets.take(ip, 0.0)
    buckets.take("a", 0.0)  # a is now the most recent
    buckets.take("d", 0.0)
    assert len(buckets) == 3
    assert not buckets.take("a", 0.0)  # still remembered, still empty
    assert buckets.take("b", 0.0)  # forgotten, so a fresh bucket
