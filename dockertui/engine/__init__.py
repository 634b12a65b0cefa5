"""The only package that talks to the engine (and the only one importing aiodocker)."""
