"""`Message.of_chat`, the fast way every node makes the event for a relayed chat, makes the same
record `Message(...)` makes: same fields and values, equal and hashed alike, still frozen."""

from __future__ import annotations

import pytest

from zp2p_gui.core.events import Message
from zp2p_gui.core.records import FrozenInstanceError, asdict, fields

CHAT = {"sender": "abc", "seq": 7, "nick": "ann", "addr": "127.0.0.2", "text": "héllo", "ts": 12.5, "key": "k",
        "sig": "s", "first": 7, "last": 9, "path": "p"}


@pytest.mark.parametrize(("own", "history"), [(False, False), (True, False), (False, True)])
def test_of_chat_is_the_record_init_makes(own: bool, history: bool) -> None:
    made = Message.of_chat(CHAT, own, history, 3.25)
    expected = Message(id="abc:7", sender="abc", nick="ann", addr="127.0.0.2", text="héllo", ts=12.5, own=own,
                       history=history, t=3.25)
    assert made == expected and hash(made) == hash(expected)
    assert asdict(made) == asdict(expected)
    assert set(vars(made)) == {f.name for f in fields(Message)}
    assert made.to_json() == expected.to_json()
    assert repr(made) == repr(expected)


def test_of_chat_stays_frozen() -> None:
    made = Message.of_chat(CHAT, False, False, 1.0)
    with pytest.raises(FrozenInstanceError):
        made.text = "changed"  # type: ignore[misc]
