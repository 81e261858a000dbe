"""The Textual facilitator app: a thin layer over the engine's sessions.

Nothing here keeps game state: every action is a Session operation, and every view
is redrawn from ``session.state`` (the replay of the journal).
"""
