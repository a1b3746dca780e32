"""PyInstaller runtime hook: point python-vlc at the libVLC and plugins inside the bundle, before any
`import vlc`. Without the bundle's copy (a build made without libVLC) python-vlc looks on the system."""

import os
import sys
from pathlib import Path

_root = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "vlc"
_library = _root / ("libvlc.dll" if sys.platform == "win32" else "libvlc.so.5")
if _library.is_file():
    os.environ["PYTHON_VLC_LIB_PATH"] = str(_library)
    os.environ["PYTHON_VLC_MODULE_PATH"] = str(_root / "plugins")
    os.environ["VLC_PLUGIN_PATH"] = str(_root / "plugins")
    if sys.platform == "win32":
        os.add_dll_directory(str(_root))  # libvlc.dll loads libvlccore.dll from its own folder
