"""`spelling`: a name voted from the reports must show the letters the question asks for; a riddle about
letters is refused. Synthetic questions, not eval ones."""

from qa.checks.spelling import SPELLING_CHECK, Spelled, riddle, spelled


def test_an_explicit_letter_is_read_with_the_part_of_the_name_it_binds() -> None:
    assert spelled("Which judge, whose first name starts with the letter J, heard the case?") == Spelled("first", "J")
    assert spelled("Who is the regulator, whose surname begins with 'K', that sued the retailer?") == Spelled("last", "K")
    assert spelled("Which firm, with a name starting with a T, bought the club?") == Spelled("any", "T")
    assert spelled("Which firm bought the club, as the Daily Planet reported?") is None


def test_fits_reads_the_named_part() -> None:
    assert Spelled("first", "J").fits("Jane Doe") and not Spelled("first", "J").fits("Doe Jane")
    assert Spelled("last", "K").fits("Lina Kowal") and not Spelled("last", "K").fits("Kira Nowak")
    assert Spelled("any", "t").fits("Harbour Trust") and not Spelled("any", "t").fits("Harbour Bank")
    # a first name or a surname belongs to a full name: one word ("Dspace", "Kmart") has neither
    assert not Spelled("first", "D").fits("DSPs") and not Spelled("last", "K").fits("Kmart")


def test_riddles_about_letters() -> None:
    assert riddle("Which single letter grade did the agency give the bank?")
    assert riddle("Which star has a name that starts with the same letter as our galaxy?")
    assert riddle("Which CEO has a name starting with the first letter of the alphabet?")
    assert riddle("Which letter of the NATO phonetic alphabet matches the country?")
    assert not riddle("Which letter did the mayor send to the council?")
    assert not SPELLING_CHECK.applies("Which company did both reports say bought the club?")


def test_the_verdict_keeps_fitting_names_and_refuses_riddles_and_misfits() -> None:
    q = "Which judge, whose first name starts with the letter J, heard the case?"
    ok, kept = SPELLING_CHECK.verdict(q, ["Android", "Jane Doe", "Jordan Vale"])
    assert ok.ok and kept == ["Jane Doe", "Jordan Vale"]
    bad, kept = SPELLING_CHECK.verdict(q, ["Android", "Chrome"])
    assert not bad.ok and bad.code == "no_common_name" and "“J”" in bad.detail and kept == []
    odd, kept = SPELLING_CHECK.verdict("Which single letter grade did the agency give?", ["Harbour Bank"])
    assert not odd.ok and kept == []
