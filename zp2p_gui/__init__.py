"""zp2p: a serverless LAN chat whose first node becomes the host."""

from time import perf_counter as _perf_counter, process_time as _process_time

_STARTED = (_perf_counter(), _process_time())  # the first line of zp2p's code: see since_start

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
APP_ID = "io.github.zp2p.Zp2p"


def since_start() -> tuple[float, float]:
    """Wall-clock and process CPU ms since zp2p's first line ran (this module, imported before any
    other of the package): the `searching` event's import-to-search, which leaves out the
    interpreter's own start-up and `site`."""
    return (_perf_counter() - _STARTED[0]) * 1000, (_process_time() - _STARTED[1]) * 1000
