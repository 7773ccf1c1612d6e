"""The one base class of every error a user can fix: a bad setting, path, question, filter, or a server down.

Each interface maps it once: the CLI prints `error: <message>` and exits with `exit_code`; the web API answers
`http_status` with {"error": message}; the chat and Slack show the message. Anything else is a bug: logged with
its traceback and reported as an internal error.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; `message` says what to do (one line)."""

    exit_code: int = 2
    http_status: int = 400

    def __init__(self, message: str = "", *, exit_code: int | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = " ".join(str(message).split())  # one line, whatever the cause's text held
        if exit_code is not None:
            self.exit_code = exit_code
        if http_status is not None:
            self.http_status = http_status

    def __str__(self) -> str:
        return self.message
