"""The PySide6 front end: the only package of zp2p that imports Qt."""
