"""Sentence spans and sentence-aware chunks."""

from index.articles import Article
from index.chunks import chunk_article, split_sentences


def test_sentence_spans_respect_abbreviations_and_quotes() -> None:
    text = ('U.S. President Donald Trump met Mr. Putin on July 16. "We are ready," Putin said. '
            "Gen. Mattis agreed.\nA new paragraph without a full stop")
    spans = split_sentences(text)
    sentences = [text[s.start:s.end] for s in spans]
    assert sentences == [
        "U.S. President Donald Trump met Mr. Putin on July 16.",
        '"We are ready," Putin said.',
        "Gen. Mattis agreed.",
        "A new paragraph without a full stop",
    ]


def test_chunks_hold_whole_sentences_with_exact_spans() -> None:
    cleaned = " ".join(f"Sentence number {i} says something about the summit in Helsinki." for i in range(40))
    art = Article(id="a1", title="T", text=cleaned)
    chunks = chunk_article(art, cleaned, max_chars=300, overlap=1)
    assert len(chunks) > 5
    for c in chunks:
        assert cleaned[c.start:c.end] == c.text
        assert c.text.startswith("Sentence number") and c.text.endswith(".")
        assert len(c.text) <= 300
        assert c.id == f"a1:{art.content_hash}:{c.index}"
    # overlap of one sentence: each chunk starts with the previous chunk's last sentence
    last_sentence = chunks[0].text.rsplit(". ", 1)[-1]
    assert chunks[1].text.startswith(last_sentence.rstrip("."))


def test_a_long_sentence_is_its_own_chunk() -> None:
    cleaned = "Short one. " + "word " * 200 + "end. Another short one."
    chunks = chunk_article(Article(id="x", title="", text=cleaned), cleaned, max_chars=300)
    assert any(len(c.text) > 300 for c in chunks)
    assert all(cleaned[c.start:c.end] == c.text for c in chunks)
