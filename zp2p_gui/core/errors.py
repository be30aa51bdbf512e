"""Every error code the engine, the registry and the option checks can report, with its severity.

One table: the engine decides fatal-or-not from it, the headless CLI prints the code, and the
window looks up its sentence by the same code (ui/problems.py; a test fails when a code has no
English or Korean sentence). `Code` is a `str` enum, so a code read off the wire or printed as
JSON is the plain string and compares equal to its member."""

from __future__ import annotations

from enum import Enum


class Severity(Enum):
    FATAL = "fatal"  # the run ends (the node exits 2 headless; the window goes back to Disconnected)
    NOTICE = "notice"  # said once, the room goes on


class Code(str, Enum):
    """The stable codes of `error` events and registry refusals."""

    severity: Severity

    def __new__(cls, value: str, severity: Severity) -> "Code":
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        return member

    def __str__(self) -> str:
        return self.value

    # options and set-up, checked before the engine starts
    BAD_NICK = "bad_nick", Severity.FATAL
    BAD_ROOM = "bad_room", Severity.FATAL
    BAD_PORT = "bad_port", Severity.FATAL
    BAD_ADDRESS = "bad_address", Severity.FATAL
    BAD_NETWORK = "bad_network", Severity.FATAL
    BAD_OPTION = "bad_option", Severity.FATAL
    BAD_PASSPHRASE = "bad_passphrase", Severity.FATAL
    BAD_PASSPHRASE_FILE = "bad_passphrase_file", Severity.FATAL
    BAD_DATA_DIR = "bad_data_dir", Severity.FATAL
    BAD_IDENTITY = "bad_identity", Severity.FATAL
    NO_CURVE = "no_curve", Severity.FATAL
    NO_INTERFACE = "no_interface", Severity.FATAL
    NOT_ALLOWED = "not_allowed", Severity.FATAL
    BIND_FAILED = "bind_failed", Severity.FATAL
    INTERNAL = "internal", Severity.FATAL
    # registry refusals the engine keeps trying after (a nick or a place may become free)
    NICK_IN_USE = "nick_in_use", Severity.NOTICE
    ROOM_FULL = "room_full", Severity.NOTICE
    ADDRESS_FULL = "address_full", Severity.NOTICE
    # registry refusals that end a run
    INCOMPATIBLE_VERSION = "incompatible_version", Severity.FATAL
    WRONG_ROOM = "wrong_room", Severity.FATAL
    KEY_MISMATCH = "key_mismatch", Severity.FATAL
    BAD_KEY = "bad_key", Severity.FATAL
    UNPROVEN_KEY = "unproven_key", Severity.FATAL  # the register request's proof does not verify
    # a beacon of our room that we cannot join: said, then we host the room ourselves (a decoy
    # beacon must not keep a room from ever starting)
    ROOM_NOT_PRIVATE = "room_not_private", Severity.NOTICE
    # notices: the room goes on
    NODE_IN_USE = "node_in_use", Severity.NOTICE
    NOT_REGISTERED = "not_registered", Severity.NOTICE
    BAD_REQUEST = "bad_request", Severity.NOTICE
    REDIRECT_REFUSED = "redirect_refused", Severity.NOTICE
    NO_HOST = "no_host", Severity.NOTICE
    RATE_LIMITED = "rate_limited", Severity.NOTICE
    QUEUE_FULL = "queue_full", Severity.NOTICE
    EMPTY_MESSAGE = "empty_message", Severity.NOTICE
    MESSAGE_TOO_LONG = "message_too_long", Severity.NOTICE
    BAD_MESSAGE = "bad_message", Severity.NOTICE
    NICK_KEY_CHANGED = "nick_key_changed", Severity.NOTICE
    FORGED_MESSAGE = "forged_message", Severity.NOTICE  # a relayed chat its claimed sender did not sign
    # direct messages
    UNKNOWN_RECIPIENT = "unknown_recipient", Severity.NOTICE  # a nick never seen
    RECIPIENT_KEY_CHANGED = "recipient_key_changed", Severity.NOTICE  # the nick is now used with another key
    DM_QUEUE_FULL = "dm_queue_full", Severity.NOTICE  # the bound on queued DMs per recipient
    DIRECT_PORT_TAKEN = "direct_port_taken", Severity.NOTICE  # direct messages then come through the host
    FILES_PORT_TAKEN = "files_port_taken", Severity.NOTICE  # this node cannot send files (it still receives)
    # file transfers (transfer_failed codes)
    DECLINED = "declined", Severity.NOTICE  # the recipient said no
    CANCELLED = "cancelled", Severity.NOTICE  # either side stopped it
    DISK_FULL = "disk_full", Severity.NOTICE  # the recipient's disk has no room; the partial is kept
    PEER_LOST = "peer_lost", Severity.NOTICE  # the other side left the room or stopped answering
    PEER_AWAY = "peer_away", Severity.NOTICE  # an offer to a member not in the room now
    OFFER_EXPIRED = "offer_expired", Severity.NOTICE  # nobody accepted or declined the offer in time
    HASH_MISMATCH = "hash_mismatch", Severity.NOTICE  # the received bytes are not what was sent
    REFUSED_NAME = "refused_name", Severity.NOTICE  # an offered name or size the recipient must not write
    UNREADABLE = "unreadable", Severity.NOTICE  # the file to send cannot be read (or changed meanwhile)
    WRITE_FAILED = "write_failed", Severity.NOTICE  # the recipient cannot write there (not a full disk)

    @property
    def fatal(self) -> bool:
        return self.severity is Severity.FATAL


def lookup(code: str) -> Code | None:
    """The member for a code from the wire or a test, or None for a code this version does not know."""
    try:
        return Code(code)
    except ValueError:
        return None
