"""A terminal facilitator for tabletop crisis exercises."""

__version__ = "0.1.0"
