"""PyInstaller's entry script: zp2p_gui/__main__.py uses relative imports, so it cannot be the
script itself; this imports it as a package module and passes its exit code on."""

import sys

from zp2p_gui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
