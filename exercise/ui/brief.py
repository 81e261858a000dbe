"""A role's brief for its seat, as Markdown: the printed brief (same template, same
data), or when that cannot be rendered, a plain one built here from the role's data.

Only the role's own data and what other actors have *stated publicly* (their positions
with sources) go in; other roles' private information, objectives, red lines and views
never do, so a seat cannot leak them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exercise.problems import UserError

if TYPE_CHECKING:
    from exercise.pack.models import Pack, Role


def _esc(text: str) -> str:
    """Keep pack text as text: no raw HTML or link tricks in the rendered Markdown."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _position_line(pack: Pack, role: Role, index: int) -> str:
    position = role.positions[index]
    source = pack.sources_by_id.get(position.source)
    cite = source.title if source else position.source
    where = f", {position.locator}" if position.locator else ""
    year = f" ({position.year})" if position.year else ""
    line = f"- **{position.stance}**: {_esc(position.summary)}"
    if position.quote:
        line += f' — "{_esc(position.quote)}"'
    return line + f" *[{_esc(cite)}{where}{year}]*"


def brief_markdown(pack: Pack, role_id: str) -> str:
    role = pack.roles_by_id[role_id]
    out = [f"# {_esc(role.name)}", "", _esc(role.background.strip()), ""]
    topics: dict[str, list[int]] = {}
    for i, position in enumerate(role.positions):
        topics.setdefault(position.topic, []).append(i)
    if topics:
        out += ["## Stated positions", ""]
    for topic_id, indexes in topics.items():
        topic = pack.topics_by_id.get(topic_id)
        out += [f"### {_esc(topic.title if topic else topic_id)}", ""]
        out += [_position_line(pack, role, i) for i in indexes]
        others = [
            (other, j)
            for other in pack.roles
            if other.id != role_id
            for j, p in enumerate(other.positions)
            if p.topic == topic_id
        ]
        if others:
            out += ["", "*Where others stand:*", ""]
            out += [
                f"- {_esc(other.short_name)}: " + _position_line(pack, other, j)[2:]
                for other, j in others
            ]
        out.append("")
    for title, items in (
        ("Objectives", role.objectives),
        ("Red lines", role.red_lines),
        ("Capabilities", role.capabilities),
        ("What you know that others do not", role.private),
    ):
        if items:
            out += [f"## {title}", ""] + [f"- {_esc(item)}" for item in items] + [""]
    if role.views:
        out += ["## How you see the others", ""]
        out += [
            f"- **{_esc(pack.roles_by_id[r].short_name if r in pack.roles_by_id else r)}**:"
            f" {_esc(view)}"
            for r, view in role.views.items()
        ]
    return "\n".join(out) + "\n"


SEAT_BRIEF_TIMEOUT_S = 10.0


def seat_brief(pack: Pack, role_id: str) -> tuple[str, str]:
    """The printed brief in Markdown, and why the plain one is shown instead (or "").

    Slow: a pack's own template renders in a bounded child process. Call it from a
    worker thread, never from the app's event loop.
    """
    try:
        from exercise.render.briefs import role_brief_context
        from exercise.render.jinja_env import make_environment, template_folders
        from exercise.render.output import render_format

        env = make_environment(template_folders(None, pack.root, pack.manifest.templates))
        data = render_format(
            env, "brief", "md", role_brief_context(pack, role_id), timeout=SEAT_BRIEF_TIMEOUT_S
        )
        if isinstance(data, str) and data.strip():
            return data, ""
        problem = "the brief template gave nothing"
    except (UserError, OSError) as exc:  # a broken template override must not close the seat
        problem = str(exc)
    return brief_markdown(pack, role_id), problem
