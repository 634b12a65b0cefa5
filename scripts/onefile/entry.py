"""The frozen program's entry point (PyInstaller runs this file): the same as the `dockertui` script."""

from dockertui.cli import main

raise SystemExit(main())
