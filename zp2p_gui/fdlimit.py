"""Open-file limit: a host holds one descriptor per connection, and the usual soft limit (1024)
let a flood of raw TCP connections exhaust it. libzmq then fails every accept, spins, and a
newcomer that cannot connect concludes there is no host and starts a second room."""

from __future__ import annotations

from .core.lazylog import Log

log = Log(__name__)

UNLIMITED_TARGET = 65536


def raise_fd_limit() -> int | None:
    """Raise the soft limit on open files to the hard limit; the new soft limit, or None where the
    platform has no such limit (Windows) or refuses."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = UNLIMITED_TARGET if hard == resource.RLIM_INFINITY else hard  # macOS refuses "unlimited"
    if soft == resource.RLIM_INFINITY or soft >= target:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError) as exc:
        log.warning("could not raise the open-file limit from %d to %d: %s", soft, target, exc)
        return soft
    return target
