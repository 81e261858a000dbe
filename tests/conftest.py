"""Suite-wide settings: the longest tests start first.

The app tests press keys in real time, so a handful of them take tens of seconds. With
``--maxschedchunk=1`` pytest-xdist hands out one test at a time in collection order, so
starting the tests marked ``slow`` first lets the short ones fill in around them and both
cores finish together.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable sort
