"""Suite-wide settings: the longest tests start first.

The app tests press keys in real time, so a handful of them take tens of seconds. With
``--maxschedchunk=1`` pytest-xdist hands out one test at a time in collection order, so
starting the tests marked ``slow`` first lets the short ones fill in around them and both
cores finish together. An app test waits for the screen about a third of its time, so
``-n auto`` starts one worker more than there are cores, to keep them busy.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable sort


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Workers for ``-n auto``: the cores this process may use, plus one."""
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else 3
