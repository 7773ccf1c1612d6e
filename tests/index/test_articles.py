"""Loaders for each supported format, and their one-line errors."""

import json
from pathlib import Path

from index.articles import Article, LoadError, iter_file


def one(path: Path) -> Article | LoadError:
    items = list(iter_file(path))
    assert len(items) == 1, items
    return items[0]


def test_markdown_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "abc.md"
    p.write_text("---\ntitle: A title\nsource: The Paper\nurl: https://example.org/a\npublished: 2018-07-27\n---\nBody text here.\n")
    art = one(p)
    assert isinstance(art, Article)
    assert (art.id, art.title, art.source, art.url, art.published) == ("abc", "A title", "The Paper", "https://example.org/a", "2018-07-27")
    assert art.text.strip() == "Body text here."


def test_plain_text_without_front_matter_takes_first_line_as_title(tmp_path: Path) -> None:
    p = tmp_path / "plain.txt"
    p.write_text("Headline of the day\n\nSome body.")
    art = one(p)
    assert isinstance(art, Article) and art.title == "Headline of the day" and art.id == "plain"


def test_malformed_front_matter_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.md"
    p.write_text("---\ntitle: ok\nsource: [unclosed\n---\nBody")
    err = one(p)
    assert isinstance(err, LoadError)
    assert str(err).startswith(f"{p}:") and "front matter" in str(err)


def test_bad_date_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "d.md"
    p.write_text("---\npublished: last tuesday\n---\nBody")
    err = one(p)
    assert isinstance(err, LoadError) and "YYYY-MM-DD" in str(err)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    p.write_bytes(b"line one\nline two caf\xe9\n")
    err = one(p)
    assert isinstance(err, LoadError) and f"{p}:2:" in str(err) and "UTF-8" in str(err)


def test_binary_file_named_txt(tmp_path: Path) -> None:
    p = tmp_path / "blob.txt"
    p.write_bytes(b"\x00\x01\x02binary")
    err = one(p)
    assert isinstance(err, LoadError) and "binary" in str(err)


def test_unsupported_type(tmp_path: Path) -> None:
    p = tmp_path / "sheet.xlsx"
    p.write_bytes(b"PK\x03\x04")
    err = one(p)
    assert isinstance(err, LoadError) and "unsupported file type '.xlsx'" in str(err) and ".pdf, .docx" in str(err)


def test_jsonl_records_and_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    good = {"id": "x1", "title": "T", "body": "B.", "source": "S", "url": "u", "published": "2019-01-02"}
    p.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"id": "x2", "text": "Other."}) + "\n")
    items = list(iter_file(p))
    assert [type(i).__name__ for i in items] == ["Article", "LoadError", "Article"]
    assert isinstance(items[0], Article) and items[0].published == "2019-01-02" and items[0].source == "S"
    assert f"{p}:2:" in str(items[1])
    assert isinstance(items[2], Article) and items[2].text == "Other."


def test_json_list(tmp_path: Path) -> None:
    p = tmp_path / "list.json"
    p.write_text(json.dumps([{"id": "a", "title": "A", "body": "x"}, {"id": "b", "title": "B", "body": "y"}]))
    assert [a.id for a in iter_file(p) if isinstance(a, Article)] == ["a", "b"]


def test_html_main_text_without_chrome(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    para = "Moscow and Washington have agreed to hold a summit between the two presidents, a Kremlin aide said. " * 3
    p.write_text(f"""<html><head><title>Summit planned | Example News</title>
    <meta property="og:site_name" content="Example News"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
    <article><h1>Summit planned</h1><p>{para}</p><p>{para}</p></article>
    <footer>Copyright Example News. All rights reserved. Privacy policy. Cookie settings.</footer></body></html>""")
    art = one(p)
    assert isinstance(art, Article)
    assert "agreed to hold a summit" in art.text
    assert "Cookie settings" not in art.text and "Home" not in art.text.split()


def test_content_hash_changes_with_text() -> None:
    a = Article(id="a", title="t", text="one")
    assert a.content_hash == Article(id="a", title="t", text="one").content_hash
    assert a.content_hash != Article(id="a", title="t", text="two").content_hash
