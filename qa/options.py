"""The options of a question (top_k, since, until, sources), checked the same way for every interface.

The CLI (`citewire ask/chat --top-k --since --until --source`), the web API (`POST /api/ask`) and the chat's
filters all call `ask_options`, so a value one accepts the others accept, and the messages are the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from index.errors import UserError

MAX_TOP_K = 50
SHOWN_OUTLETS = 10  # an unknown outlet's message lists at most this many known ones
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class OptionError(UserError):
    """An option of a question (date, top_k, outlet) is not usable; the message says what to give instead."""

    exit_code = 2
    http_status = 400


def parse_date(value: Any, name: str) -> str | None:
    """'' / None -> None; 'YYYY-MM-DD' -> itself; anything else is an OptionError naming `name`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    try:
        if _ISO_DATE.fullmatch(text):  # fromisoformat alone also takes 20180701 and week dates (2018-W27-1)
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise OptionError(f"{name} date {text!r} is not a date; use YYYY-MM-DD")


def parse_top_k(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_TOP_K:
        raise OptionError(f"top_k must be a whole number from 1 to {MAX_TOP_K}")
    return value


def parse_sources(value: Any, known: Sequence[str] | Callable[[], Sequence[str]] | None = None) -> list[str] | None:
    """Outlet names (case-insensitive); with `known` (the index's outlets, or a function giving them), an
    outlet the index does not hold is an OptionError that names the known ones."""
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise OptionError("filters.sources must be a list of outlet names")
    wanted = [v.strip() for v in value if v.strip()]
    if not wanted or known is None:
        return wanted or None
    outlets = list(known() if callable(known) else known)
    by_name = {o.lower(): o for o in outlets}
    unknown = [w for w in wanted if w.lower() not in by_name]
    if unknown:
        shown = ", ".join(outlets[:SHOWN_OUTLETS]) + (f" (and {len(outlets) - SHOWN_OUTLETS} more)"
                                                     if len(outlets) > SHOWN_OUTLETS else "")
        names = ", ".join(repr(u) for u in unknown)
        raise OptionError(f"no outlet {names} in the index; known outlets: {shown or 'none (no article names one)'}")
    return [by_name[w.lower()] for w in wanted]


def ask_options(*, top_k: Any = None, since: Any = None, until: Any = None, sources: Any = None,
                known_sources: Sequence[str] | Callable[[], Sequence[str]] | None = None,
                since_name: str = "since", until_name: str = "until") -> dict[str, Any]:
    """The keyword options for `qa.ask` / `qa.ask_stream`, checked; raises OptionError (one line) otherwise."""
    options: dict[str, Any] = {
        "since": parse_date(since, since_name),
        "until": parse_date(until, until_name),
        "sources": parse_sources(sources, known_sources),
    }
    if options["since"] and options["until"] and options["since"] > options["until"]:
        raise OptionError(f"{since_name} date {options['since']} is after {until_name} date {options['until']}; "
                          "swap them")
    k = parse_top_k(top_k)
    if k is not None:
        options["top_k"] = k
    return options
