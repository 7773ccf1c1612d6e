"""Answer feedback (thumbs up/down + comment) from the web UI and Slack, in a SQLite file in the data dir."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import IO, Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, interface TEXT NOT NULL, rating INTEGER NOT NULL,
    comment TEXT, question TEXT, answer TEXT, citations TEXT, channel TEXT, user TEXT)
"""


class FeedbackStore:
    """Append-only feedback records. rating: +1 helpful, -1 not helpful."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "feedback.sqlite"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute(_SCHEMA)

    def record(self, *, rating: int, question: str, answer: str, citations: list[dict[str, Any]] | None = None,
               comment: str = "", interface: str = "web", channel: str | None = None, user: str | None = None) -> int:
        if rating not in (1, -1):
            raise ValueError("rating must be 1 (helpful) or -1 (not helpful)")
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (ts, interface, rating, comment, question, answer, citations, channel, user)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (time.time(), interface, rating, comment or "", question, answer,
                 json.dumps(citations or [], ensure_ascii=False), channel, user),
            )
            return int(cur.lastrowid or 0)

    def set_comment(self, feedback_id: int, comment: str) -> bool:
        """Add (or replace) the comment of one recorded rating."""
        with self._lock:
            cur = self._db.execute("UPDATE feedback SET comment=? WHERE id=?", (comment or "", feedback_id))
            return cur.rowcount > 0

    def all(self) -> list[dict[str, Any]]:
        cols = ["id", "ts", "interface", "rating", "comment", "question", "answer", "citations", "channel", "user"]
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(cols)} FROM feedback ORDER BY id").fetchall()
        out = []
        for r in rows:
            item = dict(zip(cols, r, strict=True))
            item["citations"] = json.loads(item["citations"] or "[]")
            item["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(item.pop("ts")))
            out.append(item)
        return out

    def export_jsonl(self, out: IO[str]) -> int:
        items = self.all()
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
        return len(items)
