"""Words for the engine's error codes: the one table the badge, the chat and the settings
dialog read, so a refusal says the same thing everywhere and each code is translated once.
Every `Code` has a sentence here (tests/gui/test_problems.py fails otherwise).

The engine's `detail` is English for logs and the headless CLI; the window shows it only for
codes this version does not know, and in tooltips."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..core.config import Limits
from ..core.errors import Code
from ..core.settings import DISCOVERY_MAX_S, DISCOVERY_MIN_S, RATE_MAX
from ..core.validation import MAX_SCAN_ADDRESSES, NICK_MAX, PORT_MAX, ROOM_MAX


class Problems(QObject):
    """`describe` gives the sentence for a code, or None when the engine's detail must do."""

    def describe(self, code: str, detail: str, room: str, nick: str = "") -> str | None:
        if code == Code.NICK_KEY_CHANGED:
            if not nick:
                return self.tr("Someone in the room was seen with another key before.")
            return self.tr("%1 was seen with another key before: another device, or someone else using "
                           "that name.").replace("%1", nick)
        if code == Code.FORGED_MESSAGE:
            if not nick:
                return self.tr("A message its sender did not sign was dropped: the host altered or invented it")
            return self.tr("A message claiming to be from %1 was not signed by them and was dropped: the host "
                           "altered or invented it").replace("%1", nick)
        sentence = self._sentences().get(code)
        return sentence.replace("%1", room) if sentence is not None else None

    def field_error(self, field: str, code: str, detail: str) -> str:
        """The sentence under a settings field: the option's own words when the code is generic
        (`bad_option` says nothing about which range), else the code's sentence."""
        by_field = {
            "discovery_window": self.tr("Must be between %1 and %2 seconds").replace(
                "%1", f"{DISCOVERY_MIN_S:g}").replace("%2", f"{DISCOVERY_MAX_S:g}"),
            "rate_limit": self.tr("Must be between 0 (no limit) and %1 messages per second").replace(
                "%1", str(RATE_MAX)),
            "language": self.tr("Unknown language"),
        }
        if code == Code.BAD_OPTION and field in by_field:
            return by_field[field]
        return self.describe(code, detail, "") or detail

    def _sentences(self) -> dict[str, str]:
        """%1 is the room's name where a sentence names it."""
        limit_kib = str(Limits().max_text_bytes // 1024)
        return {
            Code.BAD_NICK: self.tr("A nick is 1 to %2 characters, without invisible or control characters").replace(
                "%2", str(NICK_MAX)),
            Code.BAD_ROOM: self.tr("A room name is 1 to %2 characters, without invisible or control "
                                   "characters").replace("%2", str(ROOM_MAX)),
            Code.BAD_PORT: self.tr("The port must be between 1 and %2").replace("%2", str(PORT_MAX)),
            Code.BAD_ADDRESS: self.tr("Not an IPv4 address (like 192.168.1.20)"),
            Code.BAD_NETWORK: self.tr("Not a CIDR range (like 192.168.1.0/24), or more than %2 addresses in "
                                      "all").replace("%2", str(MAX_SCAN_ADDRESSES)),
            Code.BAD_OPTION: self.tr("An option is out of its range; see zp2p --help"),
            Code.BAD_PASSPHRASE: self.tr("The passphrase is empty"),
            Code.BAD_PASSPHRASE_FILE: self.tr("Cannot read the passphrase file, or it is empty"),
            Code.BAD_DATA_DIR: self.tr("Cannot use the data folder; check that it exists and is writable"),
            Code.BAD_IDENTITY: self.tr("This computer's identity key is damaged; move it away to create a new one"),
            Code.NO_CURVE: self.tr("This zp2p has no encryption support (CURVE), so private rooms cannot work"),
            Code.NO_INTERFACE: self.tr("No network interface"),
            Code.NOT_ALLOWED: self.tr("Address not allowed by ZP2P_ALLOWED_NETS"),
            Code.BIND_FAILED: self.tr("Ports are in use"),
            Code.DIRECT_PORT_TAKEN: self.tr("This computer's direct-message port is in use; private messages to "
                                            "you come through the host instead, still encrypted to you"),
            Code.FILES_PORT_TAKEN: self.tr("This computer's file port is in use by another program, so it cannot "
                                           "send files until zp2p restarts; it still receives them."),
            Code.INTERNAL: self.tr("Something went wrong inside zp2p; the log file has the details"),
            Code.NICK_IN_USE: self.tr("Nick already in use"),
            Code.ROOM_FULL: self.tr("Room %1 is full; this computer keeps trying to join"),
            Code.ADDRESS_FULL: self.tr("Too many members of room %1 share this computer's address; this computer "
                                       "keeps trying to join"),
            Code.INCOMPATIBLE_VERSION: self.tr("The host runs an incompatible version"),
            Code.WRONG_ROOM: self.tr("That host serves another room than %1"),
            Code.KEY_MISMATCH: self.tr("The host refused this computer's identity key"),
            Code.BAD_KEY: self.tr("The host could not read this computer's identity key"),
            Code.UNPROVEN_KEY: self.tr("The host could not verify this computer's identity key"),
            Code.ROOM_NOT_PRIVATE: self.tr("Room %1 on this network has no passphrase; not joining it unencrypted"),
            Code.NODE_IN_USE: self.tr("The host already knows this node from another address or key"),
            Code.NOT_REGISTERED: self.tr("The host had forgotten this computer; joining again"),
            Code.BAD_REQUEST: self.tr("The host did not understand a request from this computer"),
            Code.REDIRECT_REFUSED: self.tr("Another host asked to take over the room and was refused"),
            Code.NO_HOST: self.tr("No host answers at the moment; still trying, and your messages wait"),
            Code.RATE_LIMITED: self.tr("You are sending too fast; your messages are slowed down."),
            Code.QUEUE_FULL: self.tr("Message not sent: too many messages are waiting for the room."),
            Code.EMPTY_MESSAGE: self.tr("Message not sent: it is empty."),
            Code.MESSAGE_TOO_LONG: self.tr("Message not sent: it is longer than %2 KiB.").replace("%2", limit_kib),
            Code.BAD_MESSAGE: self.tr("Message not sent: it contains control characters."),
            Code.UNKNOWN_RECIPIENT: self.tr("Message not sent: no one with that nick has been seen in the room."),
            Code.RECIPIENT_KEY_CHANGED: self.tr("Message not sent: that nick is now used with another key, so it may "
                                                "be someone else."),
            Code.DM_QUEUE_FULL: self.tr("Message not sent: too many private messages are already waiting for "
                                        "this person."),
            Code.DECLINED: self.tr("Declined: the file was not sent."),
            Code.CANCELLED: self.tr("Cancelled: the transfer was stopped."),
            Code.DISK_FULL: self.tr("Stopped: the receiving disk is full. What arrived is kept; offering the file "
                                    "again after freeing space resumes it."),
            Code.PEER_LOST: self.tr("Stopped: the other computer stopped answering. It resumes where it stopped "
                                    "once you are both in the room again, or when the file is offered again."),
            Code.PEER_AWAY: self.tr("Not sent: this person is not in the room now."),
            Code.OFFER_EXPIRED: self.tr("Not sent: the offer was neither accepted nor declined in time."),
            Code.HASH_MISMATCH: self.tr("Failed: the file arrived damaged (its checksum does not match). The damaged "
                                        "copy is kept aside, never used as the file."),
            Code.REFUSED_NAME: self.tr("Refused: the offer had an unsafe file name, so nothing was written."),
            Code.UNREADABLE: self.tr("Not sent: the file cannot be read, or it changed while being sent."),
            Code.WRITE_FAILED: self.tr("Stopped: the file cannot be saved in the downloads folder; check that it "
                                       "exists and is writable."),
        }
