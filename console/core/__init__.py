"""Pure-Python domain core: no Qt, no sockets, no SQL."""
