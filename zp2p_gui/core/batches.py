"""Batches of chat messages: one signature for many, and each message still checkable alone.

A sender with several messages queued signs them together: the leaves of a small hash tree are
the messages' digests (core/signing.chat_digest), and the one Ed25519 signature covers the tree's
root with the sender, the room and the batch's seqs (docs/protocol.md, "Signatures"). Signing a
root rather than the plain concatenation of the digests costs one hash per message more, and buys
what the backlog needs: a message carries the sibling hashes on its way to the root (its `path`,
at most six for 64 messages), so a gap fetch, a welcome page or a backlog that lost part of a
batch still lets every receiver check each message it holds, with no side table of batches.

Nothing here touches a socket or a key; pure functions over digests and chat dicts."""

from __future__ import annotations

import base64
import binascii
import threading
from collections import OrderedDict
from typing import Any

from .blake2 import blake2b
from .signing import chat_digest

BATCH_MAX = 64  # messages per batch: a path of at most 6 hashes
BATCH_TEXT_BYTES = 24 * 1024  # UTF-8 text bytes per batch: JSON at most doubles it, under the 64 KiB frame limit
NODE_PERSON = b"zp2p-batch-node"
HASH_LEN = 32
PATH_MAX = 6 * HASH_LEN  # raw bytes of the longest path (BATCH_MAX = 2**6)
PATH_TEXT = 4 * ((PATH_MAX + 2) // 3)  # its base64 length
HEADER = ("sender", "nick", "addr", "key", "ts", "sig")  # what every message of a relayed batch shares
TREES_MAX = 256  # batch trees kept for this process's own engine (BatchTrees)


def _node(left: bytes, right: bytes) -> bytes:
    return blake2b(left + right, digest_size=HASH_LEN, person=NODE_PERSON).digest()


def tree(leaves: list[bytes]) -> tuple[bytes, list[bytes]]:
    """The root over the leaves, and each leaf's path (sibling hashes from the bottom up, joined).
    An odd last node moves up a level unchanged; leaves and nodes are hashed apart (a node is a
    personalised BLAKE2b of two hashes, a leaf a digest of length-prefixed fields), so no leaf can
    pass for a node. The batch's size is signed with the root, which fixes the tree's shape."""
    paths = [b""] * len(leaves)
    level = list(leaves)
    members = [[i] for i in range(len(leaves))]  # which leaves sit under each node of this level
    while len(level) > 1:
        up, up_members = [], []
        for i in range(0, len(level) - 1, 2):
            left, right = level[i], level[i + 1]
            for leaf in members[i]:
                paths[leaf] += right
            for leaf in members[i + 1]:
                paths[leaf] += left
            up.append(_node(left, right))
            up_members.append(members[i] + members[i + 1])
        if len(level) % 2:
            up.append(level[-1])
            up_members.append(members[-1])
        level, members = up, up_members
    return level[0], paths


def batch_tree(room: str, sender: str, nick: str, first: int, texts: list[str]) -> tuple[bytes, list[str]]:
    """A batch's root and each message's path as it travels (text): what the relay stamps on the
    messages it publishes, and what a receiver checks the signature on."""
    root, paths = tree([chat_digest(room, sender, nick, first + i, text) for i, text in enumerate(texts)])
    return root, [path_text(path) for path in paths]


def root_of(leaf: bytes, index: int, size: int, path: bytes) -> bytes | None:
    """The root that leaf number `index` of a batch of `size` reaches through `path`; None when
    the path does not have the length that position needs."""
    node, offset = leaf, 0
    while size > 1:
        if not (index == size - 1 and size % 2):  # a node without a sibling moves up unchanged
            sibling = path[offset:offset + HASH_LEN]
            if len(sibling) != HASH_LEN:
                return None
            offset += HASH_LEN
            node = _node(node, sibling) if index % 2 == 0 else _node(sibling, node)
        index, size = index // 2, (size + 1) // 2
    return node if offset == len(path) else None


def path_text(path: bytes) -> str:
    """A path as it travels. binascii, not base64.b64encode: a third of the cost, and every
    process that receives a batch turns each of its messages' paths into text once."""
    return binascii.b2a_base64(path, newline=False).decode("ascii")


def path_bytes(text: str) -> bytes | None:
    """A path as it travels (base64); None if it is not valid base64."""
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error is a ValueError
        return None


def text_bytes(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode())


def split(texts: list[str]) -> list[list[str]]:
    """Queued texts cut into batches of at most BATCH_MAX messages and BATCH_TEXT_BYTES (a text
    larger than that goes alone: one message always fits a frame)."""
    out: list[list[str]] = []
    size = 0
    for text in texts:
        n = text_bytes(text)
        if not out or len(out[-1]) >= BATCH_MAX or size + n > BATCH_TEXT_BYTES:
            out.append([])
            size = 0
        out[-1].append(text)
        size += n
    return out


def expand(packet: dict[str, Any], paths: list[str]) -> list[dict[str, Any]]:
    """A relayed `chats` frame as one chat dict per message, as the backlog and gap fetches hold
    them: the shared fields, its own seq and text, the batch's bounds and its path (as text)."""
    first = packet["first"]
    last = first + len(packet["texts"]) - 1
    head = {name: packet[name] for name in HEADER}
    return [{**head, "seq": first + i, "text": text, "first": first, "last": last, "path": path}
            for i, (text, path) in enumerate(zip(packet["texts"], paths))]


class BatchTrees:
    """Trees this process computed for batches it will receive again: a sender's own (its echo)
    and, while it hosts, those its relay accepted (the host receives its relay like every member).
    Each would otherwise be hashed again (a digest per message and the nodes above them). The
    relay thread adds, the engine thread adds and takes (a lock). A tree is used only for a batch
    equal in everything it covers (room, sender, nick, first and every text), so it is the tree
    the engine would compute: the signature is still checked on its root, and nothing the network
    sent is trusted unchecked. Bounded: the oldest go first."""

    def __init__(self, most: int = TREES_MAX) -> None:
        self.most = most
        self._lock = threading.Lock()
        self._trees: OrderedDict[tuple[str, int, str], tuple[str, str, list[str], bytes, list[str]]] = OrderedDict()

    def add(self, room: str, sender: str, nick: str, first: int, sig: str, texts: list[str], root: bytes,
            paths: list[str]) -> None:
        with self._lock:
            self._trees[(sender, first, sig)] = (room, nick, texts, root, paths)
            if len(self._trees) > self.most:
                self._trees.popitem(last=False)

    def take(self, room: str, packet: dict[str, Any]) -> tuple[bytes, list[str]] | None:
        """The root and path texts of this relayed `chats` packet, if they were computed here for
        exactly its contents (each at most once)."""
        with self._lock:
            kept = self._trees.pop((packet["sender"], packet["first"], packet["sig"]), None)
        if kept is None or kept[:3] != (room, packet["nick"], packet["texts"]):
            return None
        return kept[3], kept[4]


def chats_fields(chats: list[dict[str, Any]]) -> dict[str, Any]:
    """The fields of one `chats` frame for consecutive messages of one batch (chat dicts)."""
    head = chats[0]
    return {**{name: head[name] for name in HEADER}, "first": head["seq"], "texts": [c["text"] for c in chats]}
