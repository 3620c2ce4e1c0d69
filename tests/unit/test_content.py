"""A broken data file stops with a message naming the file, the item and the problem."""

import shutil
from pathlib import Path

import pytest
import yaml

from kneeassess import content
from kneeassess.content import ContentError

DATA = Path(content.data_dir())


@pytest.fixture
def data_copy(tmp_path, configure):
    shutil.copytree(DATA, tmp_path / "data")
    configure(data_dir=tmp_path / "data", clinic_file=None)
    content.reload()
    yield tmp_path / "data"
    content.reload()


def edit_yaml(path, change):
    doc = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)  # libyaml: the pure-Python reader is ten times slower
    change(doc)
    path.write_text(yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False))


def test_the_shipped_content_loads():
    content.load_all()


def test_bad_question_kind_names_file_item_and_field(data_copy):
    def change(doc):
        doc["steps"][2]["sections"][0]["questions"][2]["kind"] = "slider"

    edit_yaml(data_copy / "questionnaire.yaml", change)
    with pytest.raises(ContentError) as err:
        content.load_all()
    msg = str(err.value)
    assert "questionnaire.yaml" in msg
    assert "(id=symptoms)" in msg and "(id=pain_run_worst)" in msg and ".kind" in msg


def test_duplicate_answer_id_is_refused(data_copy):
    def change(doc):
        doc["steps"][0]["sections"][0]["questions"][1]["id"] = "age_band"

    edit_yaml(data_copy / "questionnaire.yaml", change)
    with pytest.raises(ContentError, match="answer id 'age_band' is used twice"):
        content.load_all()


def test_exercise_without_level_1_is_refused(data_copy):
    def change(doc):
        del doc["exercises"][3]["levels"][1]

    edit_yaml(data_copy / "exercises.yaml", change)
    with pytest.raises(ContentError) as err:
        content.load_all()
    assert "exercises.yaml" in str(err.value) and "(id=side_plank)" in str(err.value)
    assert "level 1 is required" in str(err.value)


def test_rule_naming_an_unknown_answer_is_refused(data_copy):
    def change(doc):
        doc["rules"][0]["when"]["all"][1]["answer"] = "heel_raises_{side}"

    edit_yaml(data_copy / "rules.yaml", change)
    with pytest.raises(ContentError, match="rule 'foot_heel_raise_low_men' refers to unknown answer"):
        content.load_all()


def test_rule_with_points_out_of_range(data_copy):
    def change(doc):
        doc["rules"][4]["points"] = 500

    edit_yaml(data_copy / "rules.yaml", change)
    with pytest.raises(ContentError) as err:
        content.load_all()
    assert "(id=foot_heel_raise_asymmetry).points" in str(err.value)


def test_yaml_syntax_error_names_the_file(data_copy):
    (data_copy / "rules.yaml").write_text("levels: [unclosed\n")
    with pytest.raises(ContentError, match="rules.yaml: not valid YAML") as err:
        content.load_all()
    assert "levels: [unclosed\n" in str(err.value)  # the line is quoted, a caret under the fault


def test_clinic_colour_and_url_checked(data_copy):
    path = data_copy / "clinic.toml"
    path.write_text(path.read_text().replace('primary = "#0f6e6e"', 'primary = "teal"'))
    with pytest.raises(ContentError) as err:
        content.load_all()
    assert "clinic.toml" in str(err.value) and "colours.primary" in str(err.value)


def test_default_clinic_is_the_articles_with_no_invented_contact():
    c = content.clinic()
    assert c.name == "ReSync Physiotherapy"
    assert (c.phone, c.email, c.address, c.booking_url) == ("", "", "", "")
    assert not c.has_contact


def test_missing_file(data_copy):
    (data_copy / "exercises.yaml").unlink()
    with pytest.raises(ContentError, match="exercises.yaml: file not found"):
        content.load_all()


def test_contrast_ratio_matches_wcag():
    assert content.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert content.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert content.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just under AA


@pytest.mark.parametrize("field,colour,against", [
    ("text", "#9aa5b1", "the background"),  # light grey text on white
    ("primary", "#7fd1d1", "the background"),  # a pale teal: links and the chosen tab unreadable
])
def test_clinic_colours_must_be_readable(data_copy, field, colour, against):
    path = data_copy / "clinic.toml"
    original = {"text": '"#1b2330"', "primary": '"#0f6e6e"'}[field]
    path.write_text(path.read_text().replace(f"{field} = {original}", f'{field} = "{colour}"'))
    with pytest.raises(ContentError) as err:
        content.load_all()
    message = str(err.value)
    assert "clinic.toml" in message and "colours" in message
    assert f"{field} {colour} on {against}" in message and "at least 4.5:1" in message


def test_libyaml_reads_the_shipped_content_as_the_pure_python_reader_does():
    """The content is read by libyaml's parser (fast); PyYAML's own reader is the reference."""
    files = sorted(DATA.glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert content._yaml(text) == yaml.safe_load(text), path.name
