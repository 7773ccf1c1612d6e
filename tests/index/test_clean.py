"""Boilerplate removal, table-driven with real scraps from the seed pages."""

import pytest

from index.clean import clean_text

SCRAPS = [
    "Share this article",
    "Share this articleComments",
    "Share this articleClose Button",
    "Copy/paste the article video embed link below:Copy to clipboardCopied",
    "ADVERTISEMENT",
    "Accessibility links",
    "Breaking News",
    "Copyright ",
    "By\u00a0Mark Armstrong",
    "GETTY",
    "Getty Images",
    "XS",
    "LG",
    "Wess Mitchell",
]


@pytest.mark.parametrize("scrap", SCRAPS)
def test_scrap_lines_are_removed(scrap: str) -> None:
    body = f"Putin met Bolton in Moscow on Wednesday.\n{scrap}\nThe summit will be held in a third country."
    assert clean_text(body) == "Putin met Bolton in Moscow on Wednesday.\n\nThe summit will be held in a third country."


def test_a_photo_credit_glued_to_a_caption_goes_and_the_caption_stays() -> None:
    body = "Putin met Bolton in Moscow.\nGETTYThe envoy warned that the council could face new tariffs\nEnd."
    assert clean_text(body) == "Putin met Bolton in Moscow.\n\nThe envoy warned that the council could face new tariffs\n\nEnd."


@pytest.mark.parametrize("marker", ["You might also like", "Latest News", "Related articles", "  \u2022 16x9 Image"])
def test_more_stories_tail_is_cut(marker: str) -> None:
    body = f"The Kremlin said talks were possible.\n\n{marker}\n\nRussian FSB says US behind Moscow attack\nOther story."
    assert clean_text(body) == "The Kremlin said talks were possible."


def test_repeated_photo_caption_is_dropped_and_title_line_too() -> None:
    body = ("U.S. and Russian presidents plan summit\n\nPresident Vladimir Putin meets John Bolton\n"
            "President Vladimir Putin meets John Bolton\nMoscow and Washington agreed to hold a summit.")
    assert clean_text(body, title="U.S. and Russian presidents plan summit") == "Moscow and Washington agreed to hold a summit."


def test_article_sentences_and_quotes_are_kept() -> None:
    body = "'Witch hunt'\nOn Wednesday, Bolton said it \"will be after the first of the year\".\n\"We also hear this\"."
    cleaned = clean_text(body)
    assert "'Witch hunt'" in cleaned and "first of the year" in cleaned and "We also hear this" in cleaned


def test_seed_pages_lose_their_chrome() -> None:
    from conftest import CORPUS

    from index.articles import load_markdown

    for path in sorted(CORPUS.glob("*.md")):
        art = load_markdown(path)
        cleaned = clean_text(art.text, art.title)
        for scrap in ("Share this article", "ADVERTISEMENT", "Latest News", "Copy/paste", "You might also like",
                      "Accessibility links", "16x9 Image", "By\u00a0Mark", "Crocus City Hall"):
            assert scrap not in cleaned, (path.name, scrap)
        assert len(cleaned) > 1000
