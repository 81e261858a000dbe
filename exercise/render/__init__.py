"""Rendering: role briefs and after-action reports from sandboxed Jinja templates.

Templates are user content (a pack or ``--templates DIR`` may override any bundled file),
so they run in a sandbox with strict undefined variables, HTML autoescaping and a time
and size bound. Contexts are plain data built once from the pack or the session state.
"""
