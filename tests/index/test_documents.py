"""PDF and Word files: real documents built in the test, ingested into a real Chroma with the real embedder."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import docx
import pytest
from conftest import make_settings
from docx.oxml import OxmlElement
from pypdf import PdfReader, PdfWriter

from index.articles import Article, LoadError, iter_file
from index.chunks import chunk_article
from index.clean import clean_pages
from index.documents import drop_running_lines, load_docx, load_pdf, reflow
from index.ingest import ACCEPTED_SUFFIXES, ingest
from index.store import Store

PAGE_1 = ("Zorbland Widgets said on Monday that its quarterly profit rose by 40 percent, the largest rise in the "
          "company's history. Chief executive Mara Quill credited the new factory in Dunmere, which opened in "
          "March after two years of building work. The company sold 1.2 million widgets in the quarter, up from "
          "800,000 a year earlier. Its shares rose 6 percent in early trading. Quill told reporters that demand "
          "from hospitals had doubled since the spring, and that the factory now runs three shifts. The firm also "
          "repaid a loan of 30 million crowns taken out during the pandemic, two years ahead of schedule.")
PAGE_3 = ("Analysts expect the growth to continue next year, when the second Zorbland plant opens in Velk. "
          "The Velk plant will employ 600 people.")


def pdf_bytes(pages: list[list[str] | None], info: dict[str, str] | None = None) -> bytes:
    """A valid PDF written by hand: each page is its lines in Helvetica, or None for an image-only page."""
    def esc(t: str) -> str:
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        if lines is None:  # a "scan": one grey image, no text
            stream = b"q 200 0 0 200 72 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
        else:
            stream = ("BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(f"({esc(ln)}) Tj T*" for ln in lines) + " ET").encode("latin-1")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    f"/Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    trailer_info = b""
    if info:
        objs.append(("<< " + " ".join(f"/{k} ({esc(v)})" for k, v in info.items()) + " >>").encode("latin-1"))
        trailer_info = b" /Info %d 0 R" % len(objs)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer_info, xref)
    return bytes(out)


def report_pdf(path: Path, info: dict[str, str] | None = None) -> Path:
    """Three pages: a wrapped report (with a page-number footer), an image-only page, the outlook."""
    body1 = ["Zorbland Widgets reports record profit", *textwrap.wrap(PAGE_1, 85), "Page 1 of 3"]
    body3 = ["Outlook", *textwrap.wrap(PAGE_3, 85), "Page 3 of 3"]
    path.write_bytes(pdf_bytes([body1, None, body3], info))
    return path


META = {"Title": "Zorbland Q3 results", "Author": "Zorbland Press Office", "CreationDate": "D:20240315103000Z"}


def report_docx(path: Path, rendered_breaks: bool = False, title: str = "Velk ministry statement") -> Path:
    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.author = "Velk Ministry of Works"
    props.created = dt.datetime(2023, 11, 2, 9, 0)
    document.add_heading("Bridge over the Velk to close for repairs", level=1)
    document.add_paragraph("The Velk Ministry of Works said on Thursday that the old Dunmere bridge will close "
                           "for six months of repairs from January.")
    para = document.add_paragraph()
    if rendered_breaks:  # as Word saves its layout: this paragraph starts page 2
        para.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
    para.add_run("Traffic will be diverted over the new ring road, the ministry said, adding about ten minutes "
                 "to a crossing.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Closure"
    table.rows[0].cells[1].text = "January to June"
    document.save(str(path))
    return path


# ---- loading ------------------------------------------------------------------------------------
def test_suffixes_include_documents() -> None:
    assert {".pdf", ".docx"} <= set(ACCEPTED_SUFFIXES) and ".md" in ACCEPTED_SUFFIXES


def test_pdf_metadata_pages_and_reflowed_sentences(tmp_path: Path) -> None:
    art = load_pdf(report_pdf(tmp_path / "q3.pdf", META))
    assert art.id == "q3" and art.title == "Zorbland Q3 results" and art.source == "Zorbland Press Office"
    assert (art.published, art.published_estimated) == ("2024-03-15", True)
    assert len(art.pages) == 3 and art.pages[1] == ""
    # the hard-wrapped lines are one paragraph again, so a sentence is never cut at a line end
    assert "40 percent, the largest rise in the company" in art.pages[0]
    assert "Chief executive Mara Quill credited the new factory in Dunmere, which opened in March" in art.pages[0]
    assert "Page 1 of 3" not in art.text and "Page 3 of 3" not in art.text


def test_pdf_without_metadata_takes_first_line_dateline_and_file_name_outlet(tmp_path: Path) -> None:
    path = tmp_path / "Velk Herald - bridge.pdf"
    path.write_bytes(pdf_bytes([["Bridge to close", "12 March 2024 - The Dunmere bridge will close in January."]]))
    art = load_pdf(path)
    assert art.title == "Bridge to close" and art.source == "Velk Herald"
    # one page is still a page: its sentences cite p. 1
    assert len(art.pages) == 1
    plain = tmp_path / "2024-03-01 - notes.pdf"  # a date before the dash is not an outlet
    plain.write_bytes(pdf_bytes([["Some notes on the bridge closure."]]))
    assert load_pdf(plain).source == ""


def test_junk_metadata_title_is_ignored(tmp_path: Path) -> None:
    art = load_pdf(report_pdf(tmp_path / "r.pdf", {"Title": "Microsoft Word - draft7.docx", "Author": "Administrator"}))
    assert art.title == "Zorbland Widgets reports record profit" and art.source == ""


def test_reflow_keeps_headings_and_list_items_apart() -> None:
    text = ("Background\nThe council voted on Tuesday to close the bridge for repairs that will\n"
            "take six months.\n- first item\n- second item\n")
    assert reflow(text).split("\n") == [
        "Background", "The council voted on Tuesday to close the bridge for repairs that will take six months.",
        "- first item", "- second item"]


def test_running_headers_and_page_numbers_are_dropped() -> None:
    words = ["Alpha", "Bravo", "Charlie", "Delta"]
    pages = [f"Zorbland annual report 2024 | {i}\n{w} is the subject of this page.\nPage {i}" for i, w in enumerate(words, 1)]
    assert drop_running_lines(pages) == [f"{w} is the subject of this page." for w in words]
    assert drop_running_lines(pages[:2]) == [p.rsplit("\n", 1)[0] for p in pages[:2]]  # two pages: no header to tell


def test_docx_core_properties_heading_and_table(tmp_path: Path) -> None:
    art = load_docx(report_docx(tmp_path / "statement.docx"))
    assert art.title == "Velk ministry statement" and art.source == "Velk Ministry of Works"
    assert (art.published, art.published_estimated) == ("2023-11-02", True)
    assert "old Dunmere bridge will close" in art.text and "Closure | January to June" in art.text
    assert art.pages == ()  # no saved layout: no page numbers rather than wrong ones
    untitled = load_docx(report_docx(tmp_path / "u.docx", title=""))
    assert untitled.title == "Bridge over the Velk to close for repairs"


def test_docx_with_rendered_page_breaks_has_pages(tmp_path: Path) -> None:
    art = load_docx(report_docx(tmp_path / "laid-out.docx", rendered_breaks=True))
    assert len(art.pages) == 2
    assert "old Dunmere bridge" in art.pages[0] and "ring road" in art.pages[1] and "ring road" not in art.pages[0]


def test_python_docx_template_date_is_not_a_date(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("A note with no date of its own, about the Dunmere bridge.")
    document.save(str(tmp_path / "n.docx"))
    art = load_docx(tmp_path / "n.docx")
    assert art.published == "" and art.source == ""  # not 2013-12-23, not "python-docx"


def one_error(path: Path) -> str:
    [item] = list(iter_file(path))
    assert isinstance(item, LoadError), item
    message = str(item)
    assert "\n" not in message and str(path) in message
    return message


def test_scanned_pdf_says_to_run_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([None, None]))
    message = one_error(path)
    assert "no text layer" in message and "OCR" in message


def test_corrupt_and_encrypted_files_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "junk.pdf").write_bytes(b"this is not a PDF at all\n" * 20)
    assert "not a readable PDF" in one_error(tmp_path / "junk.pdf")
    (tmp_path / "junk.docx").write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a readable Word document" in one_error(tmp_path / "junk.docx")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert "empty file" in one_error(tmp_path / "empty.pdf")
    writer = PdfWriter(clone_from=PdfReader(report_pdf(tmp_path / "plain.pdf")))
    writer.encrypt("secret", algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as fh:
        writer.write(fh)
    assert "password" in one_error(tmp_path / "locked.pdf")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "save it as .docx" in one_error(tmp_path / "old.doc")


def test_damaged_pdfs_never_raise(tmp_path: Path) -> None:
    good = pdf_bytes([["A sentence on the first page."], ["Another sentence on the second page."]])
    for cut in range(0, len(good), max(1, len(good) // 25)):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(good[:cut] + b"\x00garbage")
        for item in iter_file(path):
            assert isinstance(item, Article | LoadError)


def test_pages_reach_chunks() -> None:
    art = Article("doc", "T", "", pages=("First page sentence one. First page sentence two.", "", "Third page."))
    cleaned, starts = clean_pages(art.pages, art.title)
    art = Article(art.id, art.title, "", pages=art.pages, page_starts=starts)
    assert art.page_at(cleaned.index("Third page")) == 3 and art.page_at(cleaned.index("sentence two")) == 1
    chunks = chunk_article(art, cleaned, max_chars=30, overlap=0)
    assert [(c.page, c.last_page) for c in chunks] == [(1, 1), (1, 1), (3, 3)]
    whole = chunk_article(art, cleaned, max_chars=700)
    assert [(c.page, c.last_page) for c in whole] == [(1, 3)]


def test_pages_change_the_hash_only_for_documents() -> None:
    plain = Article("a", "T", "x\n\ny")
    assert plain.content_hash == Article("a", "T", "x\n\ny", page_starts=(0,)).content_hash  # derived, not hashed
    assert Article("a", "T", "x\n\ny", pages=("x", "y")).content_hash != Article("a", "T", "x\n\ny", pages=("x\n\ny",)).content_hash


# ---- ingest, end to end ---------------------------------------------------------------------------
@pytest.fixture()
def doc_index(corpus_copy: Path, tmp_path: Path) -> tuple[object, dict[str, int], Path]:
    """The seed corpus ingested, then a folder of documents (two good, three bad) ingested on top."""
    settings = make_settings(tmp_path / "data")
    ingest([corpus_copy], settings, progress=False)
    store = Store(settings)
    before = dict(store.db.execute("SELECT id, hash FROM articles"))
    n_before = len(store.collection.get(include=[])["ids"])
    store.close()
    docs = tmp_path / "docs"
    docs.mkdir()
    report_pdf(docs / "zorbland-q3.pdf", META)
    report_docx(docs / "velk-bridge.docx", rendered_breaks=True)
    (docs / "scan.pdf").write_bytes(pdf_bytes([None]))
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage garbage")
    (docs / "broken.docx").write_bytes(b"not a zip")
    summary = ingest([docs], settings, progress=False)
    return settings, {"added": summary.added, "errors": len(summary.errors), "before_chunks": n_before,
                      "before_articles": len(before)}, docs


def test_documents_ingest_with_errors_one_line_each_and_nothing_lost(doc_index) -> None:
    settings, counts, docs = doc_index
    assert counts["added"] == 2 and counts["errors"] == 3
    store = Store(settings)
    ids = {r.id for r in store.articles()}
    assert {"zorbland-q3", "velk-bridge"} <= ids and len(ids) == counts["before_articles"] + 2
    chroma = store.collection.get(include=["metadatas"])
    assert len(chroma["ids"]) == store.counts()[1] > counts["before_chunks"]
    again = ingest([docs], settings, progress=False)  # unchanged documents embed nothing the second time
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 2, 0)
    assert sorted(e.split(":")[0] for e in again.errors) == sorted(str(docs / n) for n in ("broken.docx", "broken.pdf", "scan.pdf"))
    assert all("\n" not in e for e in again.errors)
    assert any("no text layer" in e and "OCR" in e for e in again.errors)


def test_page_numbers_reach_chunk_metadata_and_citations(doc_index) -> None:
    from qa import ask
    from ui.render import source_line

    settings, _, _ = doc_index
    store = Store(settings)
    got = store.collection.get(where={"article_id": "zorbland-q3"}, include=["metadatas", "documents"])
    pages = {(m["page"], m["last_page"]) for m in got["metadatas"]}
    assert (1, 1) in pages and any(last == 3 for _, last in pages), pages
    others = store.collection.get(where={"article_id": {"$nin": ["zorbland-q3", "velk-bridge"]}}, include=["metadatas"])
    assert others["metadatas"] and all("page" not in m for m in others["metadatas"])  # articles without pages
    record = store.article("zorbland-q3")
    text = store.article_text("zorbland-q3")
    assert record is not None and record.page_at(text.index("second Zorbland plant")) == 3
    assert record.page_at(text.index("Mara Quill")) == 1
    docx_record = store.article("velk-bridge")
    assert docx_record is not None and docx_record.page_at(store.article_text("velk-bridge").index("ring road")) == 2

    answer = ask("How many people will the Velk plant employ?", settings=settings.with_overrides(llm="none"))
    cited = [c for c in answer.citations or answer.closest if c.article_id == "zorbland-q3"]
    assert cited and cited[0].page == 3 and "600 people" in cited[0].quote
    assert ", p. 3" in source_line(cited[0]) and answer.to_dict()["citations" if answer.citations else "closest"][0]["page"] == 3
    plain = [c for c in answer.citations + answer.closest if c.article_id not in ("zorbland-q3", "velk-bridge")]
    assert all(c.page is None and ", p. " not in source_line(c) for c in plain)


def test_pruned_documents_lose_their_pages_and_old_indexes_still_read(doc_index) -> None:
    settings, _, docs = doc_index
    (docs / "zorbland-q3.pdf").unlink()
    assert ingest([docs], settings, prune=True, progress=False).removed >= 1
    store = Store(settings)
    assert [r[0] for r in store.db.execute("SELECT id FROM article_pages")] == ["velk-bridge"]
    # an index made before pages existed has no article_pages table: reading it still works, without pages
    store.db.execute("DROP TABLE article_pages")
    store.close()
    old = Store(settings)
    records = old.articles()
    assert records and all(r.pages == () for r in records) and old.article("velk-bridge") is not None


def test_source_lines_show_the_page_only_when_there_is_one() -> None:
    from qa.answer import Citation
    from ui.render import source_line
    from ui.slack.blocks import source_line as slack_line

    cited = Citation(1, "q3", "Zorbland Q3 results", "Zorbland Press Office", "2024-03-15", "", "600 people.", "q3:h:0",
                     published_estimated=True, page=3)
    assert source_line(cited) == "Zorbland Q3 results \u2014 Zorbland Press Office, 2024-03-15 (estimated), p. 3 [q3]"
    assert slack_line(cited).endswith("2024-03-15 (estimated) \u00b7 p. 3")
    cited.page = None
    assert "p. " not in source_line(cited) and "p. " not in slack_line(cited)
