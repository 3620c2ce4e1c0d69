import pytest

from kneeassess.content import questionnaire
from kneeassess.screening.kujala import kujala
from tests.factories import AKPS, akps_all

# clinical-reference §1.1, the 2023 table: item -> option points, best first
TABLE = {
    "akps_limp": [5, 3, 0], "akps_support": [5, 3, 0], "akps_walking": [5, 3, 2, 0],
    "akps_stairs": [10, 8, 5, 0], "akps_squatting": [5, 4, 3, 2, 0], "akps_running": [10, 8, 6, 3, 0],
    "akps_jumping": [10, 7, 2, 0], "akps_sitting": [10, 8, 6, 4, 0], "akps_pain": [10, 8, 6, 3, 0],
    "akps_swelling": [10, 8, 6, 4, 0], "akps_kneecap": [10, 6, 4, 2, 0], "akps_thigh_wasting": [5, 3, 0],
    "akps_flexion": [5, 3, 0],
}


def test_items_in_the_brief_order_with_the_published_points():
    assert list(TABLE) == AKPS
    for q in questionnaire().step("knee_score").questions:
        assert [o.value for o in q.options] == TABLE[q.id]


@pytest.mark.parametrize("item,points", [(i, p) for i, opts in TABLE.items() for p in opts])
def test_each_option_counts_its_points(item, points):
    answers = akps_all(0) | {item: points}
    assert kujala(answers).total == 100 - TABLE[item][0] + points


def test_best_answers_total_100_and_worst_0():
    assert kujala(akps_all(0)).total == 100
    assert kujala(akps_all(-1)).total == 0


@pytest.mark.parametrize("item", list(TABLE))
def test_no_total_unless_all_13_answered(item):
    answers = akps_all(0)
    del answers[item]
    result = kujala(answers)
    assert result.total is None and result.answered == 12
    assert "12 of 13" in result.meaning


def test_meaning_names_the_10_point_change():
    assert "10 points" in kujala(akps_all(0)).meaning
