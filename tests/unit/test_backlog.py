"""Backlog: recent messages bounded in bytes, read in bounded pages."""

from __future__ import annotations

from zp2p_gui.core.backlog import CHAT_OVERHEAD, Backlog, chat_size


def chat(seq: int, sender: str = "a", text: str = "hello") -> dict:
    return {"sender": sender, "nick": "n", "addr": "127.0.0.2", "seq": seq, "text": text, "ts": 0.0}


def seqs(chats) -> list[int]:
    return [c["seq"] for c in chats]


def test_size_counts_the_text_in_bytes_plus_the_overhead() -> None:
    assert chat_size(chat(1, text="é")) == CHAT_OVERHEAD + 2 + 1 + 1 + 9


def test_appending_past_the_budget_evicts_the_oldest_and_says_which() -> None:
    b = Backlog(3 * chat_size(chat(1)))
    assert [b.append(chat(s)) for s in (1, 2, 3)] == [[], [], []]
    assert seqs(b.append(chat(4))) == [1]
    assert seqs(b) == [2, 3, 4] and len(b) == 3 and b.bytes == 3 * chat_size(chat(1))


def test_a_long_message_evicts_several_and_the_newest_always_stays() -> None:
    b = Backlog(3 * chat_size(chat(1)))
    for s in (1, 2, 3):
        b.append(chat(s))
    assert seqs(b.append(chat(4, text="x" * 5000))) == [1, 2, 3]
    assert seqs(b) == [4]


def test_newest_is_one_page_oldest_first() -> None:
    b = Backlog(1 << 20)
    for s in range(1, 11):
        b.append(chat(s))
    assert seqs(b.newest(max_items=3)) == [8, 9, 10]
    assert seqs(b.newest(max_bytes=2 * chat_size(chat(1)))) == [9, 10]
    assert seqs(b.newest(max_bytes=1)) == [10]  # one message always fits


def test_page_is_one_senders_range_cut_to_size() -> None:
    b = Backlog(1 << 20)
    for s in range(1, 11):
        b.append(chat(s, "a"))
        b.append(chat(s, "b"))
    assert seqs(b.page("a", 3, 6)) == [3, 4, 5, 6]
    assert seqs(b.page("b", 3, 100, max_items=2)) == [3, 4]
    assert seqs(b.page("b", 3, 100, max_bytes=3 * chat_size(chat(1, "b")))) == [3, 4, 5]
    assert b.page("c", 1, 10) == [] and b.page("a", 6, 3) == []


def test_extending_keeps_what_appending_one_by_one_keeps() -> None:
    budget = 5 * chat_size(chat(1))
    one_by_one, whole = Backlog(budget), Backlog(budget)
    batches = [[chat(1), chat(2)], [chat(s) for s in range(3, 10)], [chat(10, text="x" * 10 * CHAT_OVERHEAD)]]
    for batch in batches:
        evicted = [old for c in batch for old in one_by_one.append(c)]
        assert seqs(whole.extend(batch)) == seqs(evicted)
        assert seqs(whole) == seqs(one_by_one) and whole.bytes == one_by_one.bytes
