import pytest

from osp.status import Status, worst


def test_worst_takes_highest_rank():
    assert worst(["proved", "open", "cited-validated"]) is Status.OPEN
    assert worst([Status.PROVED, Status.UNKNOWN, Status.REFUTED, Status.OPEN]) is Status.REFUTED
    assert worst([Status.CONSISTENT, Status.UNDECIDED]) is Status.UNDECIDED


def test_worst_of_nothing_is_the_default():
    assert worst([]) is Status.PROVED
    assert worst([], default=Status.HOLDS) is Status.HOLDS


def test_only_rank_zero_passes():
    passing = {s for s in Status if s.passes}
    assert passing == {Status.DEFINED, Status.PROVED, Status.CITED_VALIDATED, Status.CONSISTENT,
                       Status.HOLDS, Status.VACUOUS}
    assert Status.UNKNOWN.exit_code == 1 and Status.PROVED.exit_code == 0


def test_unknown_words_are_rejected():
    with pytest.raises(ValueError):
        worst(["passed"])


def test_prints_as_its_word():
    assert f"{Status.CITED_VALIDATED}" == "cited-validated"
