"""zp2p: a serverless LAN chat whose first node becomes the host."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
APP_ID = "io.github.zp2p.Zp2p"
