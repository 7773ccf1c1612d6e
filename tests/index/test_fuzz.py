"""Property-based fuzzing of the loaders, the cleaner and the sentence splitter: no input crashes them, and what
they return keeps its invariants (valid ids and dates, spans inside the text, chunks that quote the text).

Bounded (max_examples, sizes) so the module runs in well under 30 s on 2 cores.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.articles import Article, LoadError, iter_file
from index.chunks import chunk_article, split_sentences
from index.clean import DROP_LINE, TAIL_START, clean_text

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")

# text that looks like scraped news: words, punctuation, quotes, abbreviations, odd whitespace, boilerplate lines
_PIECES = st.sampled_from([
    "Mr.", "U.S.", "Dr. Smith", "said", "the", "summit", "Putin", "Trump", "2019", "Jan. 5", "p.m.", "e.g.",
    ".", "!", "?", "...", ",", ":", "\"", "\u201c", "\u201d", "'", "(", ")", "[", "]", "--", "\u2014",
    " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u200b", "Advertisement", "Share this article",
    "Read more", "Latest news", "By John Smith", "Getty Images", "Photo: AP", "A", "B.", "i.e.", "No. 1",
])
NEWSY = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=120).map(" ".join)
TEXT = st.one_of(NEWSY, st.text(max_size=1500))


def _write(data: bytes, suffix: str) -> tuple[tempfile.TemporaryDirectory, Path]:
    tmp = tempfile.TemporaryDirectory()
    path = Path(tmp.name) / f"fuzz-file{suffix}"
    path.write_bytes(data)
    return tmp, path


def _check_items(path: Path) -> list[Article | LoadError]:
    items = list(iter_file(path))  # must not raise, whatever the bytes
    assert items, "every file yields at least one article or one error"
    for item in items:
        assert isinstance(item, Article | LoadError), item
        if isinstance(item, LoadError):
            assert str(item).startswith(str(path)), item  # errors name the file
            continue
        assert SAFE_ID.match(item.id), item.id
        assert isinstance(item.title, str) and item.title.strip() == item.title
        assert isinstance(item.text, str)
        if item.published:
            assert dt.date.fromisoformat(item.published).isoformat() == item.published
        assert len(item.content_hash) == 16
    return items


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".md", ".txt", ".json", ".jsonl", ".markdown"]))
def test_loaders_survive_random_bytes(data: bytes, suffix: str) -> None:
    tmp, path = _write(data, suffix)
    with tmp:
        _check_items(path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=2000), TEXT.map(lambda t: f"<html><body><p>{t}</p></body></html>".encode())))
def test_html_loader_survives_random_pages(data: bytes) -> None:
    tmp, path = _write(data, ".html")
    with tmp:
        _check_items(path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELD = st.one_of(JSON, st.text(max_size=60), st.sampled_from(["2018-07-27", "2018-02-30", "July 2018", "", "0000-00-00"]))
RECORD = st.fixed_dictionaries({}, optional={
    "id": FIELD, "title": FIELD, "body": st.one_of(TEXT, FIELD), "text": FIELD, "source": FIELD, "url": FIELD,
    "published": FIELD, "date": FIELD, "published_estimated": FIELD,
})


@FAST
@given(records=st.lists(st.one_of(RECORD, JSON), max_size=6))
def test_json_and_jsonl_loaders_survive_any_json(records: list) -> None:
    tmp, path = _write(json.dumps(records).encode(), ".json")
    with tmp:
        items = _check_items(path)
        if records:
            assert len(items) == len(records)  # one article or one error per record, in order
    lines = [json.dumps(r) for r in records]
    tmp, path = _write("\n".join(lines).encode(), ".jsonl")
    with tmp:
        items = _check_items(path)
        if records:
            assert len(items) == len(records)
            for lineno, item in enumerate(items, start=1):
                if isinstance(item, LoadError):
                    assert str(item).startswith(f"{path}:{lineno}:"), item  # the line is named


@FAST
@given(front=st.dictionaries(st.sampled_from(["title", "id", "source", "published", "url", "x"]), FIELD, max_size=5),
       raw=st.text(max_size=200), body=TEXT)
def test_front_matter_survives_anything(front: dict, raw: str, body: str) -> None:
    yaml_part = "\n".join(f"{k}: {json.dumps(v)}" for k, v in front.items()) + ("\n" + raw if raw else "")
    tmp, path = _write(f"---\n{yaml_part}\n---\n{body}".encode("utf-8", "surrogatepass"), ".md")
    with tmp:
        _check_items(path)


SURROGATE = st.integers(min_value=0xD800, max_value=0xDFFF).map(lambda n: f"\\u{n:04x}")
ESCAPED = st.lists(st.one_of(SURROGATE, st.sampled_from(["a", " ", "Mr. X said.", "\\u00e9"])), max_size=8).map("".join)


@FAST
@given(fields=st.dictionaries(st.sampled_from(["id", "title", "body", "source", "url"]), ESCAPED, min_size=1))
def test_lone_surrogate_escapes_are_replaced(fields: dict[str, str]) -> None:
    # valid JSON (and YAML) can spell characters Python cannot encode: they must not crash hashing or SQLite
    record = "{" + ", ".join(f'"{k}": "{v}"' for k, v in fields.items()) + "}"
    front = "".join(f'{k}: "{v}"\n' for k, v in fields.items() if k != "body")
    for suffix, content in ((".jsonl", record), (".json", record), (".md", f"---\n{front}---\n" + fields.get("body", ""))):
        tmp, path = _write(content.encode(), suffix)
        with tmp:
            for item in _check_items(path):
                if isinstance(item, Article):
                    for part in (item.id, item.title, item.text, item.source, item.url):
                        part.encode("utf-8")


@settings(max_examples=40, deadline=None)
@given(stem=st.text(st.characters(blacklist_characters="/\x00.", blacklist_categories=("Cs",)), min_size=1, max_size=20))
def test_any_file_name_gives_a_safe_article_id(stem: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{stem}.md"
        try:
            path.write_text("Body text.")
        except OSError:  # a name the filesystem refuses (too long in bytes)
            return
        [art] = _check_items(path)
        assert isinstance(art, Article) and ":" not in art.id


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 50_000)
    (tmp_path / "deep.jsonl").write_text('{"id": "ok", "body": "Fine."}\n' + "[" * 50_000 + "\n")
    (tmp_path / "deep.md").write_text("---\na: " + "[" * 50_000 + "\n---\nBody.")
    assert all(isinstance(i, LoadError) for i in iter_file(tmp_path / "deep.json"))
    items = list(iter_file(tmp_path / "deep.jsonl"))
    assert isinstance(items[0], Article) and isinstance(items[1], LoadError) and ":2:" in str(items[1])
    assert isinstance(next(iter(iter_file(tmp_path / "deep.md"))), LoadError)


@settings(max_examples=150, deadline=None)
@given(text=TEXT, title=st.one_of(st.just(""), st.text(max_size=30)))
def test_clean_text_output_is_tidy(text: str, title: str) -> None:
    out = clean_text(text, title)
    assert "\r" not in out and "\u00a0" not in out and "\u200b" not in out
    if not out:
        return
    paragraphs = out.split("\n\n")
    for para in paragraphs:
        assert para and "\n" not in para, repr(para)
        assert para == para.strip() and "\t" not in para and "  " not in para, repr(para)
        assert not any(p.fullmatch(para) for p in DROP_LINE), para
        assert not any(p.fullmatch(para) for p in TAIL_START), para


@settings(max_examples=200, deadline=None)
@given(text=TEXT, offset=st.integers(min_value=0, max_value=10_000))
def test_sentence_spans_are_valid(text: str, offset: int) -> None:
    spans = split_sentences(text, offset=offset)
    covered = set()
    prev_end = offset
    for s in spans:
        start, end = s.start - offset, s.end - offset
        assert 0 <= start < end <= len(text), (s, len(text))
        assert start >= prev_end - offset, "spans overlap or go backwards"
        piece = text[start:end]
        assert piece == piece.strip() and piece.strip(), repr(piece)
        assert "\n" not in piece
        covered.update(range(start, end))
        prev_end = s.end
    # every visible character belongs to some sentence: nothing is silently lost
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace() and ch != "\n")
    assert split_sentences(text) == [type(s)(s.start - offset, s.end - offset) for s in spans]


@settings(max_examples=100, deadline=None)
@given(text=TEXT, max_chars=st.integers(min_value=1, max_value=900), overlap=st.integers(min_value=0, max_value=3))
def test_chunks_quote_the_cleaned_text(text: str, max_chars: int, overlap: int) -> None:
    art = Article(id="fuzz", title="Fuzz", text=text)
    cleaned = clean_text(text, art.title)
    chunks = chunk_article(art, cleaned, max_chars, overlap)
    sentences = split_sentences(cleaned)
    assert bool(chunks) == bool(sentences)
    assert len({c.id for c in chunks}) == len(chunks)
    for i, c in enumerate(chunks):
        assert c.index == i and c.article_id == "fuzz" and c.id.startswith(f"fuzz:{art.content_hash}:")
        assert cleaned[c.start:c.end] == c.text and c.text.strip() == c.text and c.text
    for s in sentences:  # every sentence is in some chunk
        assert any(c.start <= s.start and s.end <= c.end for c in chunks), s
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)  # always moves forward: terminates
