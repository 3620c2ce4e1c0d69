"""tests/waiting.py: a bounded wait returns what it waited for, and fails with why when it does not come."""

import itertools

import pytest

from tests.waiting import NotInTime, wait_until


def test_returns_the_first_truthy_answer():
    tries = itertools.count()
    assert wait_until(lambda: next(tries) >= 3 and "there", 5, interval=0) == "there"


def test_fails_after_the_deadline_naming_what_it_waited_for():
    with pytest.raises(NotInTime, match="the log line not met within 0.05 s"):
        wait_until(lambda: None, 0.05, interval=0.01, what="the log line")


def test_gives_up_early_with_the_reason():
    with pytest.raises(NotInTime, match="nginx: exited with 1"):
        wait_until(lambda: False, 60, give_up=lambda: "exited with 1", what="nginx")


def test_tries_once_more_at_the_deadline():
    answers = iter([None, "late"])  # the first try fails, the deadline (0 s) has passed: one more try
    assert wait_until(lambda: next(answers), 0, interval=0) == "late"
