"""The learned red-flag signal: its training data, its thresholds and where it may act.

The classifier reads topics as much as symptoms, so the detector lets it act alone only
under rules (see ``RedFlagDetector._may_escalate`` and ``_may_ask``); these tests pin
those rules and the hygiene of the data it learns from.
"""

from __future__ import annotations

from typing import Any, List

import numpy as np
import pytest
import yaml
from scipy.sparse import hstack

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE
from rasa_project.understanding.red_flags.classifier import (
    CACHE_PREFIX,
    NONE,
    RedFlagClassifier,
    corpus_examples,
    fingerprint,
    fitted_classifier,
    read_settings,
    training_examples,
)
from rasa_project.understanding.red_flags.detector import (
    CLASSIFIER,
    RedFlagDetector,
)
from tests.live_servers import REPO_ROOT
from tests.understanding.red_flags.blind_sets import (
    LEARNED_BATCHES,
    blind_items,
    corpus_lines,
    learned_batches,
    near_training_text,
)


@pytest.fixture(scope="module")
def detector() -> RedFlagDetector:
    return RedFlagDetector.from_config()


def test_the_thresholds_were_chosen_on_the_current_examples() -> None:
    # After changing data/red_flag_corpus or data/nlu: python -m benchmarks.red_flag_calibration --write
    assert read_settings().corpus_fingerprint == fingerprint(training_examples())


def test_thresholds_ask_before_they_escalate() -> None:
    settings = read_settings()
    for level, thresholds in settings.thresholds.items():
        assert 0 < thresholds.ask < thresholds.escalate < 1, level
        if thresholds.escalate_on_area is not None:
            assert thresholds.escalate <= thresholds.escalate_on_area <= 1, level


def test_corpus_labels_are_flags_or_none() -> None:
    labels = {label for _, label in corpus_examples()}
    assert labels <= set(RED_FLAG_CATALOGUE) | {NONE}
    assert labels - {NONE}, "the corpus has symptom examples"


def test_no_blind_symptom_message_is_in_the_training_data() -> None:
    # A leak can only go one way: from a blind batch into the corpus assembled here. The
    # learned batches came from other writers, and short plain statements recur between
    # any two of them ("both legs numb from the knees down", "yes it wakes me up", no
    # more than seven words); the blind figures leave every near-duplicate out
    # (test_blind.py). Longer symptom messages must never recur in the assembled corpus.
    # The few that do recur were checked one by one and are listed with the reason.
    assembled = [text.lower() for text, _ in corpus_examples(with_blind_batches=False)]
    recurring = [
        item.text
        for item in blind_items()
        if item.kind != NONE
        and len(item.text.split()) > 7
        and item.text not in INDEPENDENT_RECURRENCES
        and near_training_text(item.text, assembled)
    ]
    assert recurring == []


#: Blind messages near a line of the assembled corpus for a reason other than a leak.
INDEPENDENT_RECURRENCES = {
    # The corpus line paraphrases a Gloucestershire Hospitals osteoporosis page and was
    # committed (111f37c, 2026-11-30) before batch p was written from the spec and public pages.
    "I have osteoporosis and my back went when I sneezed on Monday.",
    # Both corpus lines paraphrase public pages (Sheffield's low back pain page, the
    # Birmingham and Solihull ICB's back and spine page) and were committed (111f37c,
    # 2026-11-30) before batches u and v were written from the spec and public pages.
    "the back pain wakes me up every night around 3am",
    "fell off a stepladder clearing the gutters and landed on my back",
    # The corpus line paraphrases patient.info's red-flag page and was committed (111f37c,
    # 2026-11-30) before batch x was written from the spec and public pages.
    "Feeling shivery and hot and my lower back is really sore.",
    # The corpus line paraphrases NHS 111 Wales's sciatica page and was committed (111f37c,
    # 2026-11-30) before batch z was written from the spec and public pages.
    "numbness in both legs from the knees down",
}


def test_learned_batches_are_copied_whole_and_as_labelled() -> None:
    lines = LEARNED_BATCHES.read_text(encoding="utf8").splitlines()
    assert learned_batches(), "measured batches are learned from"
    for batch in learned_batches():
        assert [line for line in lines if f'"blind batch {batch}"' in line] == corpus_lines(batch)


def test_fitting_is_deterministic() -> None:
    examples = training_examples()[::7]
    texts = ["I can't feel the toilet paper", "my shoes wear on the inside", "fever and night sweats"]
    assert RedFlagClassifier(examples).probabilities(texts) == RedFlagClassifier(examples).probabilities(texts)


def test_features_and_probabilities_are_scikit_learns() -> None:
    classifier = RedFlagClassifier(training_examples()[::5])
    texts = ["i can't feel the toilet paper", "", "🦶 flat feet!!", "numb numb numb " * 40, "wee wee"]
    for vectorizer in (classifier.words, classifier.chars):
        ours, theirs = classifier.features(vectorizer, texts), vectorizer.transform(texts)
        assert ours.shape == theirs.shape
        assert np.allclose(ours.toarray(), theirs.toarray(), rtol=0, atol=1e-12)
    features = hstack([classifier.words.transform(texts), classifier.chars.transform(texts)]).tocsr()
    expected = classifier.model.predict_proba(features)
    got = classifier.probabilities(texts)
    for row, probabilities in zip(expected, got, strict=True):
        by_label = dict(zip(classifier.labels, row, strict=True))
        assert probabilities == pytest.approx({k: v for k, v in by_label.items() if k != NONE}, abs=1e-12)


def short_replies() -> List[str]:
    """Button titles of the domain and typical short replies to the assessment questions."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    titles = {
        str(button["title"])
        for variants in domain["responses"].values()
        for variant in variants
        for button in variant.get("buttons") or []
    }
    typed = {
        "the inner edge",
        "outside mostly",
        "never used them",
        "no idea",
        "a mix",
        "control",
        "img",
        "4 or 5",
        "honestly can't put a number on it",
        "a bit i guess",
        "same as always",
        "not really sure tbh",
    }
    # Button titles of six words and more name symptoms ("Fragile bones and a minor fall").
    return sorted(text for text in titles if len(text.split()) < 6) + sorted(typed)


@pytest.mark.parametrize("text", short_replies())
def test_a_short_reply_with_nothing_clinical_never_prompts_a_question_by_the_classifier(
    detector: RedFlagDetector, text: str
) -> None:
    reading = detector.read(text)
    assert CLASSIFIER not in reading.ask.values()
    assert all(mention.source != CLASSIFIER for mention in reading.mentions)


@pytest.mark.parametrize(
    "text",
    [
        "Good morning, my lower back has been bothering me and a friend suggested I ask you",
        "hi im a hairdresser and my back kills by the end of the day",
        "Hello, my son set this up for me. My back is stiff in the mornings.",
        "My lower back has ached for a few months and I have been reading about insoles.",
        "I work in a cafe, on my feet all day, and my back has been sore since September",
        "hiya, sorry my english is not so good, I have pain in my lower back",
        "Evening all. I deliver parcels and my back has started grumbling",
    ],
)
def test_an_ordinary_opening_never_prompts_a_question_by_the_classifier(detector: RedFlagDetector, text: str) -> None:
    assert CLASSIFIER not in detector.read(text).ask.values()


def test_the_classifier_alone_does_not_escalate_without_the_flags_evidence(detector: RedFlagDetector) -> None:
    # Scores high for the bladder (a toilet visit), but says nothing about control.
    reading = detector.read("I went to the loo before bed and then I slept fine")
    assert list(reading.flags) == []


@pytest.mark.parametrize(
    "text, flag_id",
    [
        # The rules read the flag's evidence as someone else's.
        ("My dad has osteoporosis and has been on steroids for years. My back aches from lifting him", "fracture_risk"),
        ("my brother is on long-term steroids and has a spine infection, my back is just stiff", "infection_risk"),
        # The rules read it as past and over.
        (
            "I had pins and needles down my left leg last month but it went away and hasn't come back",
            "radiating_leg_symptoms",
        ),
        (
            "last year I couldn't feel the toilet paper when I wiped for a few days after an operation,"
            " it went away and never came back",
            "saddle_anaesthesia",
        ),
        # The rules explained the look-alike: going often with the bump on the bladder,
        # an odd gait from the hips.
        (
            "29 weeks, I'm up four times a night to wee because the bump is on my bladder, back aches",
            "bladder_bowel_dysfunction",
        ),
        (
            "arthritis in both hips so I walk funny and my lower back takes the strain",
            "bilateral_or_progressive_leg_symptoms",
        ),
        # The rules read the flag's body area told only as normal.
        ("I've got full feeling down there", "saddle_anaesthesia"),
        (
            "bunged up from the codeine for a couple of days, but I can still feel when I need to go",
            "bladder_bowel_dysfunction",
        ),
    ],
)
def test_the_classifier_does_not_ask_about_a_flag_whose_evidence_the_rules_set_aside(
    detector: RedFlagDetector, text: str, flag_id: str
) -> None:
    thresholds = read_settings().for_flag(flag_id)
    assert thresholds is not None and detector.classifier is not None
    # Without the rules' reading the classifier would ask: the case tests the rule.
    assert detector.classifier.flag_probabilities(text)[flag_id] >= thresholds.ask
    reading = detector.read(text)
    assert flag_id not in reading.ask and flag_id not in reading.flags


# --- the fitted model kept between starts ----------------------------------------------

SMALL_CORPUS = [
    ("I wet myself and didn't notice", "bladder_bowel_dysfunction"),
    ("can't feel the toilet paper when I wipe", "saddle_anaesthesia"),
    ("my back aches after work", NONE),
    ("which insoles are best for standing", NONE),
]


def test_a_fitted_classifier_is_kept_and_read_back_unchanged(tmp_path, monkeypatch) -> None:
    fitted = fitted_classifier(SMALL_CORPUS, tmp_path)
    [kept] = list(tmp_path.glob(f"{CACHE_PREFIX}*.pickle"))

    def refit(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("fitted again although a kept model fits these examples")

    monkeypatch.setattr(RedFlagClassifier, "__init__", refit)
    read_back = fitted_classifier(SMALL_CORPUS, tmp_path)

    text = "I think I wet myself"
    assert read_back.flag_probabilities(text) == fitted.flag_probabilities(text)
    assert list(tmp_path.glob(f"{CACHE_PREFIX}*.pickle")) == [kept]


def test_other_examples_fit_afresh_and_replace_the_kept_model(tmp_path) -> None:
    fitted_classifier(SMALL_CORPUS, tmp_path)
    [first] = list(tmp_path.glob(f"{CACHE_PREFIX}*.pickle"))

    fitted_classifier([*SMALL_CORPUS, ("legs like jelly", "bilateral_or_progressive_leg_symptoms")], tmp_path)

    [second] = list(tmp_path.glob(f"{CACHE_PREFIX}*.pickle"))
    assert second != first


def test_an_unreadable_kept_model_is_fitted_afresh(tmp_path) -> None:
    fitted_classifier(SMALL_CORPUS, tmp_path)
    [kept] = list(tmp_path.glob(f"{CACHE_PREFIX}*.pickle"))
    kept.write_bytes(b"not a model")

    classifier = fitted_classifier(SMALL_CORPUS, tmp_path)

    assert isinstance(classifier, RedFlagClassifier)
    assert kept.read_bytes() != b"not a model"


def test_a_cache_that_cannot_be_written_only_costs_the_fit(tmp_path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the directory should be")

    classifier = fitted_classifier(SMALL_CORPUS, blocked / "cache")

    assert isinstance(classifier, RedFlagClassifier)
    assert list(tmp_path.glob("**/*.tmp")) == []
