"""Typed messages between threads: each role's command table, the engine's inbox table, and the
one log line for a command to a role that is not running."""

from __future__ import annotations

import logging
import pickle

import pytest

from zp2p_gui.core.dispatch import Handlers
from zp2p_gui.engine.base import INBOX, PACKETS, REPLIES
from zp2p_gui.engine.direct import _OpenDirect
from zp2p_gui.engine.files import _StartFiles
from zp2p_gui.net import messages as m
from zp2p_gui.net.beacon import Beacon
from zp2p_gui.net.files import FileLink
from zp2p_gui.net.host import Host
from zp2p_gui.net.receiver import KINDS, Receiver
from zp2p_gui.net.registration import RegistrationClient
from zp2p_gui.net.roles import Roles, spawn_thread
from zp2p_gui.node import Node  # noqa: F401  (fills the engine's tables)


def test_each_role_handles_exactly_its_commands() -> None:
    assert Receiver.commands.keys() == {m.Connect, m.Disconnect, m.Alive}
    assert RegistrationClient.commands.keys() == {m.Connect, m.Request}
    assert Beacon.commands.keys() == {m.UpdateBeacon}
    assert Host.commands.keys() == {m.Handover, m.Redirect, m.Serve}
    assert FileLink.commands.keys() == {m.FilePeers, m.OfferFiles, m.AcceptOffer, m.DeclineOffer, m.CancelTransfer}


def test_the_engine_handles_every_event_request_reply_and_packet_kind() -> None:
    assert INBOX.keys() - {_OpenDirect, _StartFiles} == {m.Packets, m.Reply, m.BeaconHeard, m.HostLost, m.RoleFailed, m.Say,
                            m.Says, m.ListUsers, m.Quit, m.SendDirect, m.MarkRead, m.DirectIn, m.DirectRefused,
                            m.PortTaken, m.SendFiles, m.AcceptOffer, m.DeclineOffer, m.CancelTransfer,
                            m.TransferEvent}
    assert REPLIES.keys() == {m.Register, m.Ping, m.Probe, m.Fetch, m.MergeCheck}
    assert PACKETS.keys() == set(KINDS)


def test_the_engine_queues_two_requests_to_itself() -> None:
    """The message store and direct port open, and the file actor starts, after the welcome is
    handled, so `joined` waits for neither."""
    assert {_OpenDirect, _StartFiles} <= INBOX.keys()


def test_commands_survive_the_pipe() -> None:
    command = m.Request(m.Ping("127.0.0.2", 1.5), b"frame")
    assert pickle.loads(pickle.dumps(command)) == command


def test_a_second_handler_for_one_key_is_refused() -> None:
    table: Handlers[type] = Handlers("t")
    table.on(m.Alive)(lambda owner, msg: None)
    with pytest.raises(ValueError, match="already has a handler"):
        table.on(m.Alive)(lambda owner, msg: None)


def test_a_command_for_a_role_not_running_is_logged_once_per_type(caplog: pytest.LogCaptureFixture) -> None:
    roles = Roles(spawn_thread)
    with caplog.at_level(logging.INFO, logger="zp2p_gui.net.roles"):
        for _ in range(3):
            roles.tell("host", m.Redirect("127.0.0.2"))
        roles.tell("host", m.Handover("b", "127.0.0.3"))
    said = [r.getMessage() for r in caplog.records if "not running" in r.getMessage()]
    assert len(said) == 2 and "Redirect" in said[0] and "Handover" in said[1]
