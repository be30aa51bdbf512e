"""Pure logic: no Qt, no sockets. Unit-testable in microseconds."""
