"""The frozen program's entry point (PyInstaller runs this file): the same as the `dockertui` script."""

import os

# Started by the one-file launcher (launcher.c), which pointed LD_LIBRARY_PATH at the bundled
# libraries: give programs we start (ssh, a shell) the user's own value back.
if os.environ.pop("DOCKERTUI_ONEFILE", None) is not None:
    orig = os.environ.pop("DOCKERTUI_LD_LIBRARY_PATH_ORIG", None)
    if orig is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = orig

from dockertui.cli import main  # noqa: E402

raise SystemExit(main())
