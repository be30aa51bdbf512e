"""Entry point: `zp2p` opens the window, `zp2p --headless` speaks JSON lines."""

from __future__ import annotations

import json
import sys

from .collector import collector_paused

with collector_paused():
    from .arenas import limit_arenas
    from .cli import config_from_args, parse_command_line
    from .core import lazylog
    from .core.validation import ValidationError
    from .fdlimit import raise_fd_limit


def setup_logging(verbose: bool, headless: bool) -> None:
    """Log lines on stderr. The headless node writes them without loading `logging` until it
    has joined (core/lazylog.py): `logging` was 5-10 ms of its way to `searching`."""
    level = lazylog.DEBUG if verbose else lazylog.INFO
    if headless:
        lazylog.log_plainly(level, sys.stderr)
    else:
        lazylog.configure(level, sys.stderr)


def main(argv: list[str] | None = None) -> int:
    limit_arenas()  # before any thread starts
    args = parse_command_line(argv)
    setup_logging(args.verbose, args.headless and not (args.doctor or args.self_test))
    raise_fd_limit()  # before any socket: the window and the headless node both may host
    if args.doctor:
        from .doctor import run_doctor

        return run_doctor(args)
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test()
    if args.headless:
        try:
            config = config_from_args(args)
        except ValidationError as exc:
            print(json.dumps({"event": "error", "t": 0.0, "code": exc.code, "detail": exc.detail, "fatal": True},
                             ensure_ascii=False, separators=(",", ":")))  # the layout of every other line
            print(f"zp2p: {exc.detail}", file=sys.stderr)
            return 2
        with collector_paused():
            from .headless import run

        return run(config)
    with collector_paused():
        from .ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
