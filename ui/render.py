"""Pure renderings of an `Answer` (terminal text); the web and Slack renderers live beside their apps."""

from __future__ import annotations

import textwrap

from qa.answer import Answer, Citation


def source_line(c: Citation) -> str:
    """'Title — Outlet, 2018-07-27 (estimated), p. 3 <url>' (the page for PDF and laid-out Word sources)"""
    date = f", {c.published}{' (estimated)' if c.published_estimated else ''}" if c.published else ""
    page = f", p. {c.page}" if c.page else ""
    url = f" <{c.url}>" if c.url else ""
    return f"{c.title} \u2014 {c.source or 'unknown outlet'}{date}{page}{url} [{c.article_id}]"


def render_text(answer: Answer, width: int = 100) -> str:
    if answer.timeline:
        lines = ["Timeline of the reports, oldest first:"]
        for t in answer.timeline:
            mark = " (newest)" if t.newest else ""
            lines.append(textwrap.fill(f"{t.published} \u00b7 {t.source}: \u201c{t.text}\u201d [{t.n}]{mark}", width,
                                       initial_indent="  ", subsequent_indent="      "))
    else:
        lines = [textwrap.fill(answer.answer, width)]
    if answer.citations:
        lines.append("\nSources:")
        for c in answer.citations:
            lines.append(f"[{c.n}] {source_line(c)}")
            lines.append(textwrap.fill(f"\u201c{c.quote}\u201d", width, initial_indent="    ", subsequent_indent="    "))
            if c.resolved_dates:
                lines.append(f"    (dates: {'; '.join(c.resolved_dates)})")
    if answer.refused and answer.closest:
        lines.append("\nClosest matches (not an answer):")
        for c in answer.closest:
            lines.append(f"- {source_line(c)}")
    if answer.dropped_claims:
        n = len(answer.dropped_claims)
        lines.append(f"\n({n} claim{'s' if n > 1 else ''} removed: unsupported by the sources)")
    return "\n".join(lines)
