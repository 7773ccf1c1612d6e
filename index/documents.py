"""Loaders for office documents: PDF (pypdf, text layer only) and Word .docx (python-docx).

A PDF becomes one article whose `pages` hold each page's text, so every chunk and cited sentence knows its
page. A .docx has pages only where Word saved its layout (`w:lastRenderedPageBreak` marks); otherwise none.
Title, date and outlet come from the document's metadata, else from its text and file name; a date from
metadata is the file's creation date, not a publication date, so it is marked estimated.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from index.articles import Article, LoadError, _article_from_fields, _first_line

log = logging.getLogger(__name__)
# pypdf logs every oddity of a damaged file ("EOF marker not found"); the LoadError below is the one line to show
logging.getLogger("pypdf").setLevel(logging.ERROR)

DOCUMENT_SUFFIXES = (".pdf", ".docx")
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024

# Metadata values that name the software or a placeholder, not the document.
_JUNK_TITLE = re.compile(r"^(untitled|document\d*|microsoft word - .*|.*\.(docx?|pdf|rtf|odt))$", re.I)
_JUNK_AUTHOR = re.compile(r"^(administrator|admin|user|owner|unknown|author|windows user|python-docx|microsoft.*)$", re.I)
# "Acme Corp - Q3 results.pdf": the outlet before a spaced dash in the file name
_NAME_OUTLET = re.compile(r"^(?P<outlet>[^-\u2013\u2014]*[A-Za-z][^-\u2013\u2014]*?)\s+[-\u2013\u2014]\s+\S")
_PAGE_NUMBER = re.compile(r"(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?|[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]", re.I)
_BULLET = re.compile(r"^([\u2022\u25cf\u25aa\u2013\u2014*-]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
_TERMINAL = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise LoadError(f"{path}: {size // (1024 * 1024)} MB is over the {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB "
                        "limit for documents; split the file")
    if size == 0:
        raise LoadError(f"{path}: empty file; remove it or export the document again")


def _clean_meta(value: Any, junk: re.Pattern[str] | None = None) -> str:
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    return "" if junk is not None and junk.fullmatch(text) else text


def _outlet_from_name(path: Path) -> str:
    m = _NAME_OUTLET.match(path.stem)
    outlet = m.group("outlet").strip() if m else ""
    return "" if not outlet or re.fullmatch(r"[\d\s._]+", outlet) else outlet


# python-docx's template carries this creation date: a file made with it, and not dated since, has no real date
_TEMPLATE_DATE = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.UTC)


def _date(value: Any) -> str:
    if not isinstance(value, dt.datetime) or value == _TEMPLATE_DATE.replace(tzinfo=value.tzinfo and dt.UTC):
        return ""
    return value.date().isoformat()


def _article(path: Path, pages: list[str], title: str, source: str, published: str) -> Article:
    body = "\n\n".join(p for p in pages if p.strip())
    fields = {"title": title or _first_line(body), "source": source or _outlet_from_name(path), "body": body}
    art = _article_from_fields(fields, path.stem, str(path), str(path))
    if published:  # a file's own date says when it was made, not published: an estimate, like a dateline
        art = replace(art, published=published, published_estimated=True)
    return replace(art, pages=tuple(pages)) if pages else art


# ---- PDF ----------------------------------------------------------------------------------------
def load_pdf(path: Path) -> Article:
    """A PDF's text layer, page by page; a PDF without one (a scan) is a LoadError that says to OCR it."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    _check_size(path)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(f"{path}: PDF is password-protected; remove the password (e.g. `qpdf --decrypt`) and ingest it again")
        raw_pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except LoadError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        raise LoadError(f"{path}: PDF is encrypted ({_one_line(exc)}); save an unencrypted copy and ingest that") from exc
    except (PyPdfError, Exception) as exc:  # a damaged file makes the parser raise almost anything
        log.debug("%s: PDF parse failed", path, exc_info=True)
        raise LoadError(f"{path}: not a readable PDF ({_one_line(exc)}); re-export or re-download it") from exc
    if not raw_pages:
        raise LoadError(f"{path}: PDF has no pages; re-export or re-download it")
    pages = [reflow(p) for p in raw_pages]
    if not any(p.strip() for p in pages):
        raise LoadError(f"{path}: PDF has no text layer (scanned?); run OCR first (e.g. `ocrmypdf {path.name} out.pdf`) "
                        "and ingest the result")
    empty = [str(i) for i, p in enumerate(pages, start=1) if not p.strip()]
    if empty:
        log.warning("%s: page(s) %s have no text (scanned images?); indexed the other pages", path, ", ".join(empty))
    pages = drop_running_lines(pages)
    title = source = published = ""
    if info is not None:
        title = _clean_meta(info.get("/Title"), _JUNK_TITLE)
        source = (_clean_meta(info.get("/Source")) or _clean_meta(info.get("/Company"))
                  or _outlet_from_name(path) or _clean_meta(info.get("/Author"), _JUNK_AUTHOR))
        for attr in ("creation_date", "modification_date"):
            try:
                published = published or _date(getattr(info, attr))
            except (ValueError, TypeError):  # an unreadable date string in the metadata
                continue
    return _article(path, pages, title, source, published)


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of a PDF page into paragraphs (one per line), so a sentence is never cut
    at a line end. A line ends its paragraph when it is blank, clearly shorter than the page's full lines and
    ends a sentence (or the next starts with a capital), or when it or the next line is a list item or page number."""
    lines = [" ".join(ln.split()) for ln in text.replace("\r", "\n").split("\n")]
    lengths = sorted(len(ln) for ln in lines if ln)
    if not lengths:
        return ""
    full = max(30, lengths[math.ceil(0.8 * (len(lengths) - 1))])
    paras: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line:
            if current:
                paras.append(current)
            current = ""
            continue
        if current:
            current = current + line if current.endswith("-") and line[:1].islower() else f"{current} {line}"
        else:
            current = line
        nxt = next((ln for ln in lines[i + 1:] if ln), "")
        short = len(line) < 0.75 * full
        if (not nxt or _BULLET.match(nxt) or _PAGE_NUMBER.fullmatch(line) or _PAGE_NUMBER.fullmatch(nxt)
                or (short and (_TERMINAL.search(line) or nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "\"'\u201c\u2018"))):
            paras.append(current)
            current = ""
    if current:
        paras.append(current)
    return "\n".join(paras)


def drop_running_lines(pages: list[str]) -> list[str]:
    """Remove page numbers, and running headers/footers: a short line found on more than half the pages (3 or
    more), its numbers aside ("Annual report 2023 | 7")."""
    counts: dict[str, int] = {}
    for page in pages:
        for line in set(page.split("\n")):
            key = re.sub(r"\d+", "#", line.strip().casefold())
            counts[key] = counts.get(key, 0) + 1
    n = sum(1 for p in pages if p.strip())
    running = {k for k, c in counts.items() if k and len(k) <= 80 and n >= 3 and c > n / 2}
    return ["\n".join(ln for ln in page.split("\n")
                      if not _PAGE_NUMBER.fullmatch(ln.strip()) and re.sub(r"\d+", "#", ln.strip().casefold()) not in running)
            for page in pages]


# ---- Word ---------------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_docx(path: Path) -> Article:
    """A .docx: paragraphs and table rows in order; title, author and dates from its core properties."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_size(path)
    try:
        document = docx.Document(str(path))
        props = document.core_properties
        blocks = list(document.iter_inner_content())
        pages, heading = _docx_pages(blocks)
        title = _clean_meta(props.title, _JUNK_TITLE)
        author = _clean_meta(props.author, _JUNK_AUTHOR)
        created, modified = props.created, props.modified
    except (PackageNotFoundError, zipfile.BadZipFile, Exception) as exc:  # a damaged zip or XML part
        log.debug("%s: .docx parse failed", path, exc_info=True)
        raise LoadError(f"{path}: not a readable Word document ({_one_line(exc)}); open and save it again as .docx") from exc
    if not any(p.strip() for p in pages):
        raise LoadError(f"{path}: Word document has no text; nothing to index")
    source = _docx_company(path) or _outlet_from_name(path) or author
    art = _article(path, pages, title or heading, source, _date(created) or _date(modified))
    return art if len(pages) > 1 else replace(art, pages=())  # one "page" = no layout known: no page numbers


def _docx_pages(blocks: list[Any]) -> tuple[list[str], str]:
    """(text per page as Word last laid it out, the first heading). Without rendered page breaks, one page."""
    from docx.table import Table

    rendered = any(_W + "lastRenderedPageBreak" == el.tag for b in blocks if not isinstance(b, Table)
                   for el in b._p.iter())
    pages: list[list[str]] = [[]]
    heading = ""
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    pages[-1].append(" | ".join(cells))
            continue
        text = " ".join(block.text.split())
        style = (block.style.name if block.style is not None else "") or ""
        if text and not heading and (style.startswith("Heading") or style == "Title"):
            heading = text
        if not rendered:
            if text:
                pages[-1].append(text)
            continue
        seen_text = False
        before = after = 0  # rendered breaks before any of its text (it starts a page) and after some of it
        for el in block._p.iter():
            if el.tag == _W + "t" and (el.text or "").strip():
                seen_text = True
            elif el.tag == _W + "lastRenderedPageBreak":
                after, before = (after + 1, before) if seen_text else (after, before + 1)
        pages.extend([] for _ in range(before))
        if text:
            pages[-1].append(text)
        pages.extend([] for _ in range(after))  # the paragraph runs on: what follows is on a later page
    return ["\n".join(p) for p in pages], heading


def _docx_company(path: Path) -> str:
    """The Company of docProps/app.xml (python-docx does not read it), e.g. the office that issued a release."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return ""
    m = re.search(r"<(?:\w+:)?Company>([^<]*)</(?:\w+:)?Company>", xml)
    return _clean_meta(m.group(1), _JUNK_AUTHOR) if m else ""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text[:160]
