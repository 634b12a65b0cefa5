"""dockertui's benchmark: ``make bench`` (``python -m bench``)."""
