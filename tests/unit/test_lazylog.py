"""core/lazylog.py writes the headless node's log lines itself until `logging` is loaded: every
line it writes must be the line `logging` would have written, and whatever it cannot write that
way (a traceback, a failing format) must still come out as `logging` writes it. Checked in fresh
interpreters, since this test process has loaded and configured `logging` already."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

from zp2p_gui.core import lazylog

RECORDS = """
log = lazylog.Log("zp2p_gui.probe")
log.info("created identity %s in %s", "1a2b-3c4d", "/tmp/data/identity.key")
log.debug("hidden at INFO %d", 1)
log.warning("%s: dropping malformed input from %s (%s)", "registry", "127.0.0.9", ValueError("bad"))
log.error("no arguments, a lone %s stays")
log.info("%d%% done, non-ASCII: \\u00e9\\u4e2d", 50)
"""
PROBE = """
import sys
from zp2p_gui.core import lazylog
lazylog.log_plainly(lazylog.INFO, sys.stderr)
{records}
sys.stderr.write("--loaded--" + str("logging" in sys.modules) + "\\n")
lazylog.load_logging()
{records}
"""
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


def _stderr(script: str) -> str:
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                         timeout=60, check=True)
    return out.stderr


def test_plain_lines_are_the_lines_logging_writes() -> None:
    plain, marker, real = _stderr(PROBE.format(records=RECORDS)).partition("--loaded--False\n")
    assert marker, "logging was loaded before load_logging"
    assert all(STAMP.match(line) for line in plain.splitlines() + real.splitlines())
    assert [STAMP.sub("", line) for line in plain.splitlines()] == [STAMP.sub("", line) for line in real.splitlines()]
    assert len(plain.splitlines()) == 4  # the debug record is below the level


def test_what_only_logging_writes_goes_through_it_configured_as_asked() -> None:
    records = ('log = lazylog.Log("zp2p_gui.probe")\n'
               "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('engine failed')\n"
               "log.info('%(n)s mapped', {'n': 'one'})\n"
               "log.info('%d is not', 'a number')\n"
               "import logging\n"
               "print(json.dumps([len(logging.getLogger().handlers), logging.getLogger().level]))\n")
    err = subprocess.run([sys.executable, "-c", "import json, sys\nfrom zp2p_gui.core import lazylog\n"
                          "lazylog.log_plainly(lazylog.DEBUG, sys.stderr)\n" + records],
                         capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(err.stdout) == [1, lazylog.DEBUG]
    lines = err.stderr.splitlines()
    assert STAMP.sub("", lines[0]) == "ERROR zp2p_gui.probe: engine failed"
    assert lines[1] == "Traceback (most recent call last):" and "ZeroDivisionError" in err.stderr
    assert any(STAMP.sub("", line) == "INFO zp2p_gui.probe: one mapped" for line in lines)
    assert "--- Logging error ---" in err.stderr  # '%d' of a str is reported as logging reports it


def test_below_the_level_nothing_is_formatted_or_written() -> None:
    stream = io.StringIO()
    lazylog.log_plainly(lazylog.WARNING, stream)
    try:
        lazylog.Log("zp2p_gui.probe").info("%s", object())  # a failing format here would load logging
        assert stream.getvalue() == ""
        lazylog.Log("zp2p_gui.probe").warning("seen %s", 1)
        assert STAMP.sub("", stream.getvalue()) == "WARNING zp2p_gui.probe: seen 1\n"
    finally:
        lazylog._plain = None


def test_without_plain_lines_a_log_is_a_logging_logger(caplog) -> None:
    """The window, the tools and the tests: records reach logging's handlers, with the caller's line."""
    with caplog.at_level(lazylog.INFO, logger="zp2p_gui.probe"):
        lazylog.Log("zp2p_gui.probe").info("said %s", "here")
    [record] = [r for r in caplog.records if r.name == "zp2p_gui.probe"]
    assert record.getMessage() == "said here"
    assert record.funcName == "test_without_plain_lines_a_log_is_a_logging_logger"


def test_the_engine_warm_up_hands_the_lines_over_to_logging(monkeypatch) -> None:
    """engine/hosting.py's warm-up (2 s after joining or hosting) configures logging as the front
    end asked, so other packages' records are formatted as before, and Log writes no more itself."""
    from zp2p_gui.engine.hosting import _warm

    configured: list[tuple[int, object]] = []
    monkeypatch.setattr(lazylog, "configure", lambda level, stream: configured.append((level, stream)))
    stream = io.StringIO()
    lazylog.log_plainly(lazylog.DEBUG, stream)
    try:
        _warm()
        assert configured == [(lazylog.DEBUG, stream)] and lazylog._plain is None
        _warm()  # a second warm-up (another failover) changes nothing
        assert len(configured) == 1
    finally:
        lazylog._plain = None
