"""The pure model: frozen dataclasses and functions. No textual, no aiodocker, no I/O."""
