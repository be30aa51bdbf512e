"""Benchmark of the real engine through its headless CLI, side by side with a bare pyzmq chain.
No Qt here: it must run on a CI box without a display."""
