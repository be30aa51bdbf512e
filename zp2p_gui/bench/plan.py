"""How much to measure. One dataclass, three presets, so quick, full and the CI smoke run
differ only in counts and never in what is measured or how."""

from __future__ import annotations

from dataclasses import dataclass, replace

FANOUT_SIZES = (2, 10, 50)
MSG_BYTES = 100  # chat text and raw-chain frame size, so relay and raw chain compare like for like


@dataclass(frozen=True)
class Plan:
    mode: str
    join_runs: int
    host_alone_runs: int
    fanout_sizes: tuple[int, ...]
    fanout_msgs: int
    fanout_rate: float
    relay_msgs: int
    relay_timeout_s: float
    raw_msgs: int
    failover_runs: int
    idle_s: float
    peer_join_runs: int  # --peers: zp2p and Pyre in namespaces
    peer_msgs: int
    direct_backlog: int = 100  # DMs waiting for a member who is away
    file_mib: int = 1024  # one file, zp2p against the plain TCP baseline
    file_rounds: int = 3  # ... each this many times, interleaved: the medians are compared
    small_files: int = 1000  # files of 10 KB in one folder, zp2p against shutil.copytree
    resume_mib: int = 256  # a file whose sender dies half way, then resumes
    throughput_msgs: int = 20_000  # lines piped into one member at once, host with default settings (issue 16)
    fair_flood: int = 20_000  # lines another member pipes at once while a quiet one talks (issue 16, fair share);
    # every preset keeps it: 3,000 (the smoke run's) took 75 ms at 40,000 msg/s, over before the quiet member spoke
    quiet_msgs: int = 20  # the quiet member's paced messages during that flood
    quiet_rate: float = 50.0
    peer_room_nodes: int = 10  # --peers: latency in a room this size, besides 2 nodes
    peer_burst: int = 20_000  # --peers: the throughput burst, and the burst a stopped receiver sits through
    peer_stop_s: float = 4.0  # --peers: how long that receiver is stopped (SIGSTOP)
    peer_death_runs: int = 2  # --peers: a node killed in a group of three, noticed by the two others
    pyre_expired_s: float | None = None  # --peers: Pyre's silence limit; None keeps its own 30 s

    def capped(self, nodes_max: int | None) -> "Plan":
        """Fan-out sizes above the cap collapse onto the cap, so a small CI box still measures
        the largest room it can afford."""
        if nodes_max is None:
            return self
        sizes = tuple(sorted({min(n, max(2, nodes_max)) for n in self.fanout_sizes}))
        return replace(self, fanout_sizes=sizes)


FULL = Plan(mode="full", join_runs=30, host_alone_runs=10, fanout_sizes=FANOUT_SIZES, fanout_msgs=200,
            fanout_rate=20.0, relay_msgs=3000, relay_timeout_s=40.0, raw_msgs=200_000, failover_runs=10,
            idle_s=30.0, peer_join_runs=20, peer_msgs=200)
QUICK = Plan(mode="quick", join_runs=20, host_alone_runs=3, fanout_sizes=FANOUT_SIZES, fanout_msgs=60,
             fanout_rate=20.0, relay_msgs=1500, relay_timeout_s=20.0, raw_msgs=100_000, failover_runs=3,
             idle_s=10.0, peer_join_runs=10, peer_msgs=60, file_mib=256, resume_mib=128, throughput_msgs=5000, quiet_msgs=5,
             peer_burst=5000, peer_death_runs=1)
SMOKE = Plan(mode="smoke", join_runs=3, host_alone_runs=1, fanout_sizes=FANOUT_SIZES, fanout_msgs=10,
             fanout_rate=50.0, relay_msgs=200, relay_timeout_s=5.0, raw_msgs=20_000, failover_runs=1,
             idle_s=2.0, peer_join_runs=2, peer_msgs=10, file_mib=64, file_rounds=1, small_files=200, resume_mib=128,
             throughput_msgs=200, quiet_msgs=3, peer_room_nodes=4, peer_burst=300, peer_stop_s=1.0, peer_death_runs=1,
             pyre_expired_s=3.0)
PRESETS = {p.mode: p for p in (FULL, QUICK, SMOKE)}
