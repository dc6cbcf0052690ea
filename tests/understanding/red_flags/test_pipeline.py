"""Building the red-flag pipeline: its rule files hold only patterns spaCy accepts.

The served pipeline skips spaCy's schema check of each token pattern to start faster
(``pipeline.cfg``), so this is where a malformed pattern in ``patterns.yml`` or
``context.yml`` is caught.
"""

from __future__ import annotations

import pytest
from spacy.errors import MatchPatternError

from rasa_project.understanding.red_flags.detector import RedFlagDetector
from rasa_project.understanding.red_flags.pipeline import DEFAULT_CONFIG_PATH, build_pipeline

CHECKED = {
    "components.clinical_concept_matcher.validate_patterns": True,
    "components.red_flag_context.validate_patterns": True,
}


def test_every_pattern_of_the_rule_files_passes_spacys_check() -> None:
    nlp = build_pipeline(DEFAULT_CONFIG_PATH, overrides=CHECKED)

    assert nlp.get_pipe("clinical_concept_matcher").matcher.validate
    assert nlp.get_pipe("red_flag_context").matcher.validate


def test_the_check_rejects_a_malformed_pattern() -> None:
    matcher = build_pipeline(DEFAULT_CONFIG_PATH, overrides=CHECKED).get_pipe("clinical_concept_matcher").matcher

    with pytest.raises(MatchPatternError):
        matcher.add("broken", [[{"LOWER": {"IN": "not a list"}}]])


def test_the_served_pipeline_skips_the_check_and_reads_alike() -> None:
    served = build_pipeline(DEFAULT_CONFIG_PATH)
    checked = build_pipeline(DEFAULT_CONFIG_PATH, overrides=CHECKED)
    text = "I can't feel the toilet paper when I wipe and both legs are weak"

    assert not served.get_pipe("clinical_concept_matcher").matcher.validate
    assert [(s.label_, s.text) for s in served(text).spans["clinical_concepts"]] == [
        (s.label_, s.text) for s in checked(text).spans["clinical_concepts"]
    ]
    assert RedFlagDetector(served).read(text).flags
