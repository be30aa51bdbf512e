"""Words for the engine's error codes: the one table the badge and the chat both read, so a
refusal says the same thing in both places and each code is translated once.

The engine's `detail` is English for logs and the headless CLI; the window shows it only for
codes this table does not know, and in the badge's tooltip."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..core.config import Limits


class Problems(QObject):
    """`describe` gives the sentence for a code, or None when the engine's detail must do."""

    def describe(self, code: str, detail: str, room: str, nick: str = "") -> str | None:
        if code == "nick_key_changed":
            return self.tr("%1 was seen with another key before: another device, or someone else using "
                           "that name.").replace("%1", nick) if nick else None
        limit_kib = str(Limits().max_text_bytes // 1024)
        known = {
            "nick_in_use": self.tr("Nick already in use"),
            "bad_nick": self.tr("Invalid nick"),
            "room_full": self.tr("Room %1 is full").replace("%1", room),
            "incompatible_version": self.tr("The host runs an incompatible version"),
            "bind_failed": self.tr("Ports are in use"),
            "no_interface": self.tr("No network interface"),
            "not_allowed": self.tr("Address not allowed by ZP2P_ALLOWED_NETS"),
            "wrong_passphrase": self.tr("Wrong passphrase for room %1").replace("%1", room),
            "passphrase_required": self.tr("Room %1 needs a passphrase: enter it in Settings").replace("%1", room),
            "room_not_private": self.tr("Room %1 on this network has no passphrase; not joining it "
                                        "unencrypted").replace("%1", room),
            "bad_passphrase_file": self.tr("Cannot read the passphrase file, or it is empty"),
            "no_curve": self.tr("This zp2p has no encryption support (CURVE), so private rooms cannot work"),
            "bad_identity": self.tr("This computer's identity key is damaged; move it away to create a new one"),
            "key_mismatch": self.tr("The host refused this computer's identity key"),
            "node_in_use": self.tr("The host already knows this node from another address or key"),
            "rate_limited": self.tr("You are sending too fast; your messages are slowed down."),
            "message_too_long": self.tr("Message not sent: it is longer than %1 KiB.").replace("%1", limit_kib),
        }
        return known.get(code)
