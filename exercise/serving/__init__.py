"""Serving the app to browsers with textual-serve: one app process per browser tab.

``tab`` is what each tab runs; ``server`` (which needs the ``serve`` extra) serves the page,
its offline template and the websocket that drives a tab's process.
"""
