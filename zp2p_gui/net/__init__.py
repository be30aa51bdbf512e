"""One module per network role; each owns its zmq socket from creation to close. No Qt."""
