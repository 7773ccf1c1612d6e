"""Quotations stay the source's words; added dates go after the closing mark (synthetic sentences)."""

from qa.engine import _with_absolute_dates
from qa.quotes import faithful, insert_after

SOURCE = 'The mayor said the bridge "will reopen after the first of the year" once repairs end.'


def test_a_resolved_date_goes_after_the_closing_mark() -> None:
    claim = 'The mayor said the bridge "will reopen after the first of the year".'
    out = _with_absolute_dates(claim, ["the first of the year = 1 January 2031"])
    assert '"will reopen after the first of the year" (1 January 2031)' in out


def test_a_date_outside_any_quote_goes_right_after_its_phrase() -> None:
    out = _with_absolute_dates("It reopens after the first of the year, the mayor said.", ["the first of the year = 1 January 2031"])
    assert out == "It reopens after the first of the year (1 January 2031), the mayor said."


def test_a_date_the_model_copied_into_a_quote_moves_out() -> None:
    claim = 'The mayor said it "will reopen after the first of the year [1 January 2031]".'
    assert faithful(claim, [SOURCE]) == 'The mayor said it "will reopen after the first of the year" (1 January 2031).'


def test_a_quotation_no_source_holds_loses_its_marks() -> None:
    claim = "The mayor said it \u201cwill open again next year\u201d."
    assert faithful(claim, [SOURCE]) == "The mayor said it will open again next year."
    kept = "The mayor said the bridge \u201cwill reopen after the first of the year\u201d."
    assert faithful(kept, [SOURCE]) == kept


def test_insert_after_outside_quotes() -> None:
    assert insert_after('a "b c" d', 4, "x") == 'a "b c" (x) d'
    assert insert_after("a b", 1, "x") == "a (x) b"


def test_a_quotation_with_a_slip_gets_the_source_words_back() -> None:
    claim = 'The mayor said the bridge "will reopen after first of the year [1 January 2031]."'
    out = faithful(claim, [SOURCE])
    assert out == 'The mayor said the bridge "will reopen after the first of the year" (1 January 2031)'


def test_an_unquoted_paraphrase_keeps_its_date_before_the_full_stop() -> None:
    claim = 'He said "we will all go home by the first of the year [1 January 2031]."'
    assert faithful(claim, [SOURCE]) == "He said we will all go home by the first of the year (1 January 2031)."
