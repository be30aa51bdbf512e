"""The headless printer's output bytes: one UTF-8 JSON line per event, non-ASCII text unescaped,
written through the stream's binary layer when it has one."""

from __future__ import annotations

import io
import json
import threading

from zp2p_gui.core import events as ev
from zp2p_gui.headless import JsonPrinter


def _message(text: str) -> ev.Message:
    return ev.Message(id="n1:1", sender="n1", nick="zoë", addr="127.0.3.2", text=text, ts=1.5, t=2.25)


def test_a_message_prints_as_one_utf8_line_with_its_text_unescaped() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    JsonPrinter(out).many([_message("héllo ✓ 😀"), ev.Rtt(ms=1.0), _message("two")])
    lines = raw.getvalue().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3  # the rtt event is not printed
    assert "héllo ✓ 😀".encode() in lines[0] and b"\\u" not in lines[0]
    assert json.loads(lines[0]) == {"event": "message", "t": 2.25, "id": "n1:1", "sender": "n1", "from": "zoë",
                                    "addr": "127.0.3.2", "text": "héllo ✓ 😀", "ts": 1.5, "own": False,
                                    "history": False}
    assert json.loads(lines[1])["text"] == "two"


def test_text_already_in_the_text_layer_goes_out_first() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    out.write('{"event":"early"}\n')
    JsonPrinter(out)(ev.Left(t=1.0))
    assert raw.getvalue() == b'{"event":"early"}\n{"event":"left","t":1.0}\n'


def test_a_stream_without_a_binary_layer_gets_text() -> None:
    out = io.StringIO()
    JsonPrinter(out)(_message("ünï"))
    assert json.loads(out.getvalue())["text"] == "ünï" and out.getvalue().endswith("}\n")


def test_a_closed_output_marks_the_printer_broken() -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    printer = JsonPrinter(out)
    out.close()
    printer(ev.Left())
    assert printer.broken.is_set()


def test_a_message_event_written_out_names_every_field() -> None:
    """Message.to_json lists its fields by hand for speed: it says what the generic walk says."""
    message = _message("x")
    generic = ev.Event.to_json(message)
    generic["from"] = generic.pop("nick")
    assert message.to_json() == generic


def test_lines_before_orjson_loads_are_the_same_bytes() -> None:
    """The first events go out through json while orjson is imported beside the engine: same layout."""
    from zp2p_gui.headless import _json_line, _orjson_line

    for event in (_message("héllo ✓ 😀 \n \" \\ \x01"), ev.Joined(host="127.0.3.1", t=3.5,
                                                                 users=(ev.Member("n1", "zoë", "127.0.3.2", True, 1.25),)),
                  ev.Reconnecting(reason="r", cause=ev.Cause.HOST_LEFT, t=1.0)):
        body = event.to_json()
        assert (_json_line(body) + "\n").encode() == _orjson_line()(body)


def test_a_burst_loads_orjson_in_a_thread_of_its_own() -> None:
    """A single event goes out through json; BULK events together start orjson's import, whose
    lines follow. The same bytes either way (test above)."""
    from zp2p_gui.headless import BULK

    raw = io.BytesIO()
    printer = JsonPrinter(io.TextIOWrapper(raw, encoding="utf-8"))
    first = printer._line
    printer(_message("one"))
    assert printer._line is first
    printer.many([_message(str(i)) for i in range(BULK)])
    _orjson_lines_follow(printer, raw, first)


def _orjson_lines_follow(printer: JsonPrinter, raw: io.BytesIO, first: object) -> None:
    """Once the loader thread is done, lines come through orjson, and still read right."""
    for thread in threading.enumerate():
        if thread.name == "zp2p-orjson":
            thread.join(30)
    assert printer._line is not first
    printer(_message("after"))
    assert json.loads(raw.getvalue().splitlines()[-1])["text"] == "after"


def test_a_path_that_is_not_utf8_prints_escaped_instead_of_breaking_the_output() -> None:
    """A file name that is not UTF-8 reaches Python as lone surrogates, which UTF-8 cannot carry:
    that one line escapes it, through either encoder, and the printer goes on."""
    from zp2p_gui.headless import _orjson_line

    raw = io.BytesIO()
    printer = JsonPrinter(io.TextIOWrapper(raw, encoding="utf-8"))
    event = ev.OfferSent(id="f1", nick="zoë", filename="a\udcff", path="/tmp/a\udcff", t=1.0)
    printer(event)
    printer._line = _orjson_line()
    printer.many([event, _message("next")])
    lines = raw.getvalue().splitlines()
    assert [json.loads(line)["path"] for line in lines[:2]] == ["/tmp/a\udcff"] * 2
    assert b"\\udcff" in lines[0] and not printer.broken.is_set()
    assert json.loads(lines[2])["text"] == "next"


def test_joining_loads_orjson_a_while_later(monkeypatch) -> None:
    """orjson loads after `joined` (or `hosting`), off the way to it: a lone message's line is cheaper."""
    from zp2p_gui import headless

    monkeypatch.setattr(headless, "ORJSON_AFTER", 0.0)
    raw = io.BytesIO()
    printer = JsonPrinter(io.TextIOWrapper(raw, encoding="utf-8"))
    first = printer._line
    printer(ev.Joined(host="127.0.3.1", t=1.0))
    _orjson_lines_follow(printer, raw, first)
