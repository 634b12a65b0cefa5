"""The main screen's actions, grouped by what they act on: containers, images, the engine."""
