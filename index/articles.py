"""The `Article` record and the loaders that read one from each supported file format."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from index.dateline import dateline

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".json", ".jsonl", ".pdf", ".docx")
MAX_FILE_BYTES = 50 * 1024 * 1024


class LoadError(ValueError):
    """A file (or one record of it) could not be read; the message names the file, line and fix."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str  # raw body as published; cleaning happens at index time
    source: str = ""
    url: str = ""
    published: str = ""  # ISO date YYYY-MM-DD, or "" when unknown
    published_estimated: bool = False
    path: str = ""
    pages: tuple[str, ...] = ()  # PDF (and laid-out .docx): the raw text of each page, page 1 first; `text` joins them
    page_starts: tuple[int, ...] = ()  # set at index time: where each page starts in the cleaned text

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index; a change re-embeds the article."""
        h = hashlib.sha256()
        for part in (self.title, self.source, self.url, self.published, str(self.published_estimated), self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        if self.pages:  # where the pages break (articles without pages keep the hash they always had)
            h.update(",".join(str(len(p)) for p in self.pages).encode("ascii"))
        return h.hexdigest()[:16]

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) holding character `offset` of the cleaned text; None without pages."""
        return page_at(self.page_starts, offset)


def page_at(starts: tuple[int, ...] | list[int], offset: int) -> int | None:
    """Page number (1-based) of `offset` given each page's start offset; None when there are no pages."""
    if not starts:
        return None
    return max(1, bisect.bisect_right(starts, offset))


def normalise_date(value: Any, where: str) -> str:
    """Return an ISO date string for a date-like value ('' for none); raise LoadError if unreadable."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    raise LoadError(f"{where}: published date {text!r} is not a date; use YYYY-MM-DD")


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _str(value: Any) -> str:
    """str(value), with lone UTF-16 surrogates (from JSON/YAML escapes like "\\ud800") replaced: they cannot be
    encoded, so they would crash hashing and SQLite later."""
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _article_from_fields(data: dict[str, Any], default_id: str, where: str, path: str) -> Article:
    body = data.get("body", data.get("text", ""))
    if not isinstance(body, str):
        raise LoadError(f"{where}: field 'body' (or 'text') must be a string")
    body = _str(body)
    raw_id = _str(data.get("id") or default_id)
    art_id = (_ID_UNSAFE.sub("_", raw_id).strip("_") or _ID_UNSAFE.sub("_", _str(default_id)).strip("_")
              or "article-" + hashlib.sha256(raw_id.encode("utf-8")).hexdigest()[:12])
    title = _str(data.get("title") or "").strip()
    published = normalise_date(data.get("published") or data.get("date"), where)
    return Article(
        id=art_id,
        title=title or _first_line(body) or art_id,
        text=body,
        source=_str(data.get("source") or "").strip(),
        url=_str(data.get("url") or "").strip(),
        published=published or dateline(body),
        published_estimated=bool(data.get("published_estimated", False)) or not published,
        path=path,
    )


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoadError(f"{path}: {size // (1024 * 1024)} MB is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit; split the file")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise LoadError(f"{path}: looks like a binary file, not text; remove it or convert it to UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(f"{path}:{line}: not valid UTF-8; re-save the file as UTF-8") from exc


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?", re.DOTALL)


def load_markdown(path: Path) -> Article:
    """A .md/.txt file with optional YAML front matter; the file stem is the default article id."""
    text = _read_text(path)
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1)) or {}
        except (yaml.YAMLError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            mark = getattr(exc, "problem_mark", None)
            line = (mark.line + 2) if mark is not None else 1
            raise LoadError(f"{path}:{line}: malformed front matter ({getattr(exc, 'problem', exc)}); fix the YAML between the --- lines") from exc
        if not isinstance(loaded, dict):
            raise LoadError(f"{path}:2: front matter must be 'key: value' lines")
        meta = loaded
        text = text[m.end():]
    meta["body"] = text
    return _article_from_fields(meta, path.stem, str(path), str(path))


def load_html(path: Path) -> Article:
    """An HTML page: main text and metadata extracted with trafilatura, page chrome dropped."""
    import trafilatura

    html = _read_text(path)
    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if doc is None:
        raise LoadError(f"{path}: no article text found in this HTML page")
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    body = meta.get("text") or ""
    if not body.strip():
        raise LoadError(f"{path}: no article text found in this HTML page")
    fields = {
        "title": meta.get("title"),
        "source": meta.get("sitename") or meta.get("hostname"),
        "url": meta.get("url"),
        "published": meta.get("date"),
        "body": body,
    }
    return _article_from_fields(fields, path.stem, str(path), str(path))


def iter_json_records(path: Path) -> Iterator[Article | LoadError]:
    """Each object of a .json (list or single object) or .jsonl file; bad records become LoadErrors."""
    if path.suffix.lower() == ".jsonl":
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    obj = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                    yield LoadError(f"{where}: not a valid JSON object ({exc.__class__.__name__}); fix or remove the line")
                    continue
                yield from _record(obj, f"{path.stem}-{lineno}", where, path)
        return
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        yield LoadError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})")
        return
    except RecursionError:
        yield LoadError(f"{path}: not valid JSON (nested too deeply); fix the file")
        return
    items = data if isinstance(data, list) else [data]
    for i, obj in enumerate(items, start=1):
        yield from _record(obj, f"{path.stem}-{i}" if len(items) > 1 else path.stem, f"{path} item {i}", path)


def _record(obj: Any, default_id: str, where: str, path: Path) -> Iterator[Article | LoadError]:
    if not isinstance(obj, dict):
        yield LoadError(f"{where}: expected an object with 'id', 'title', 'body'")
        return
    try:
        yield _article_from_fields(obj, default_id, where, str(path))
    except LoadError as exc:
        yield exc


def iter_file(path: Path) -> Iterator[Article | LoadError]:
    """All articles of one file; errors are yielded, not raised, so one bad file never stops an ingest."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".json", ".jsonl"):
            if path.stat().st_size > MAX_FILE_BYTES * 20:
                raise LoadError(f"{path}: file is over 1 GB; split it")
            found = 0
            for item in iter_json_records(path):
                found += 1
                yield item
            if not found:
                yield LoadError(f"{path}: no articles in this file (empty); add records or remove it")
        elif suffix in (".html", ".htm"):
            yield load_html(path)
        elif suffix in (".md", ".markdown", ".txt"):
            yield load_markdown(path)
        elif suffix == ".pdf":
            from index.documents import load_pdf

            yield load_pdf(path)
        elif suffix == ".docx":
            from index.documents import load_docx

            yield load_docx(path)
        elif suffix in (".doc", ".rtf", ".odt"):
            yield LoadError(f"{path}: {suffix} files are not read; save it as .docx or PDF and ingest that")
        else:
            yield LoadError(f"{path}: unsupported file type '{suffix or '(none)'}'; use {', '.join(SUPPORTED_SUFFIXES)}")
    except LoadError as exc:
        yield exc
    except OSError as exc:
        yield LoadError(f"{path}: cannot read ({exc.strerror}); check the file's permissions")


def discover(paths: list[Path]) -> Iterator[Path]:
    """Files under the given paths (folders walked recursively, hidden files skipped), in a stable order."""
    for p in paths:
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(p).parts):
                    yield child
        else:
            yield p
