"""Saved web-chat conversations, in a SQLite file in the data dir: list, reopen, rename, delete.

A conversation is its title and its turns (question, filters, the answer as `Answer.to_dict()`), so it
reopens with every source. Ids are random and url-safe: `/?c=ID` reopens one.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE = "conversations.sqlite"
MAX_TITLE = 120
_ID = re.compile(r"[A-Za-z0-9_-]{6,40}")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL, turns TEXT NOT NULL)
"""


@dataclass
class Conversation:
    id: str
    title: str
    created: float
    updated: float
    turns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n_turns(self) -> int:
        return len(self.turns)


def valid_id(value: str | None) -> bool:
    """Whether `value` can be a conversation id (checked before any lookup of a url parameter)."""
    return bool(value) and bool(_ID.fullmatch(str(value)))


def title_for(question: str) -> str:
    """A conversation's default title: its first question, shortened to MAX_TITLE characters."""
    q = " ".join((question or "").split())
    return q if len(q) <= MAX_TITLE else q[: MAX_TITLE - 1].rstrip() + "\u2026"


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


class ConversationStore:
    """One SQLite file of conversations; safe to share between the page's worker threads."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILE
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def save(self, conversation_id: str | None, turns: list[dict[str, Any]], title: str = "") -> str:
        """Create (no id) or update a conversation's turns; returns its id. A renamed title is kept."""
        now = time.time()
        data = json.dumps(turns, ensure_ascii=False)
        with self._lock:
            if conversation_id and self._db.execute("SELECT 1 FROM conversations WHERE id=?",
                                                    (conversation_id,)).fetchone():
                self._db.execute("UPDATE conversations SET turns=?, updated=? WHERE id=?", (data, now, conversation_id))
                return conversation_id
            new_id = conversation_id if conversation_id and valid_id(conversation_id) else secrets.token_urlsafe(9)
            self._db.execute("INSERT INTO conversations (id, title, created, updated, turns) VALUES (?,?,?,?,?)",
                             (new_id, title_for(title) or "Untitled", now, now, data))
            return new_id

    def get(self, conversation_id: str) -> Conversation | None:
        if not valid_id(conversation_id):
            return None
        with self._lock:
            row = self._db.execute("SELECT id, title, created, updated, turns FROM conversations WHERE id=?",
                                   (conversation_id,)).fetchone()
        if row is None:
            return None
        return Conversation(row[0], row[1], row[2], row[3], json.loads(row[4] or "[]"))

    def list(self) -> list[Conversation]:
        """Every conversation, most recently updated first (turns not loaded)."""
        with self._lock:
            rows = self._db.execute("SELECT id, title, created, updated, json_array_length(turns) FROM conversations "
                                    "ORDER BY updated DESC").fetchall()
        return [Conversation(r[0], r[1], r[2], r[3], [{}] * int(r[4] or 0)) for r in rows]

    def rename(self, conversation_id: str, title: str) -> bool:
        title = title_for(title)
        if not title:
            raise ValueError("a conversation's title cannot be empty")
        with self._lock:
            cur = self._db.execute("UPDATE conversations SET title=? WHERE id=?", (title, conversation_id))
        return cur.rowcount > 0

    def delete(self, conversation_id: str) -> bool:
        with self._lock:
            cur = self._db.execute("DELETE FROM conversations WHERE id=?", (conversation_id,))
        return cur.rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
