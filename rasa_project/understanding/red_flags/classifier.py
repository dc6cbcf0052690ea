"""The learned red-flag signal: a small text classifier over patient-written descriptions.

The concept rules (``patterns.yml``) recognise the wordings they were written for. This
second signal is built independently, from a corpus of symptom descriptions
paraphrased from public sources (NHS and hospital leaflets, charities, patient forums;
``data/red_flag_corpus``, see its README), the red-flag test batches once their blind
figures are recorded, and, as ordinary negatives, the assistant's own NLU training
examples. It learns from character and word n-grams, so it reads
wordings, spellings and noun forms no rule names.

It is a TF-IDF representation with a logistic regression (scikit-learn, already
installed with Rasa), fitted when the detector is built: about a second,
deterministic, and never stale against its corpus. The fitted model is kept in
``var/cache`` under the fingerprint of what it was fitted on (:func:`fitted_classifier`),
so later starts read it instead. Its probabilities only act through
two thresholds per triage level (``classifier.yml``), chosen by cross-validation on
realistic negatives (``benchmarks/red_flag_calibration.py``): above ``escalate`` a
flag counts on this signal alone; above ``ask`` the assistant asks about it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import sklearn
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[3]
#: Where fitted classifiers are kept between starts (``ASSISTANT_CACHE_DIR`` overrides).
#: Like the rest of ``var/``, only the service may write there: a cached model is unpickled.
CACHE_DIR = Path(os.environ.get("ASSISTANT_CACHE_DIR") or PROJECT_DIR / "var" / "cache")
CACHE_PREFIX = "red-flag-classifier-"
CORPUS_DIR = PROJECT_DIR / "data" / "red_flag_corpus"
NLU_DIR = PROJECT_DIR / "data" / "nlu"
#: The corpus file of red-flag test batches already measured blind (see the corpus README).
MEASURED_BLIND_BATCHES = "measured_blind_batches.jsonl"
SETTINGS_PATH = Path(__file__).resolve().parent / "classifier.yml"
NONE = "none"
#: NLU intents whose examples are not ordinary messages: they describe symptoms.
SYMPTOM_INTENTS = frozenset({"emergency"})
#: Longest text the classifier reads; red flags in longer text are the rules' to find.
MAX_CHARS = 2000

Example = Tuple[str, str]
#: The triage levels whose flags this signal may raise or ask about. Routine flags come
#: from the rules and the assessment answers.
ACTING_LEVELS = (TriageLevel.EMERGENCY, TriageLevel.URGENT)


@dataclass(frozen=True)
class Thresholds:
    """Probability thresholds of one triage level (see ``classifier.yml``)."""

    escalate: float
    ask: float
    #: For messages in which the rules saw only the flag's body area: stricter.
    escalate_on_area: float = 1.0


@dataclass(frozen=True)
class ClassifierSettings:
    """The classifier's thresholds and the corpus fingerprint they were calibrated on."""

    thresholds: Mapping[str, Thresholds]
    corpus_fingerprint: str

    def for_flag(self, flag_id: str) -> Optional[Thresholds]:
        """The thresholds of the flag's triage level, or ``None`` if the classifier does not act on it."""
        return self.thresholds.get(RED_FLAG_CATALOGUE[flag_id].level.value)


def read_settings(path: Path = SETTINGS_PATH) -> ClassifierSettings:
    """Read the thresholds file (``classifier.yml``)."""
    with open(path, encoding="utf8") as handle:
        raw = yaml.safe_load(handle)
    thresholds = {
        level: Thresholds(float(values["escalate"]), float(values["ask"]), float(values.get("escalate_on_area", 1.0)))
        for level, values in raw["thresholds"].items()
    }
    missing = {level.value for level in ACTING_LEVELS} - set(thresholds)
    if missing:
        raise ValueError(f"classifier.yml has no thresholds for {sorted(missing)}")
    return ClassifierSettings(thresholds, str(raw["corpus_fingerprint"]))


def corpus_examples(corpus_dir: Path = CORPUS_DIR, *, with_blind_batches: bool = True) -> List[Example]:
    """Read the labelled symptom descriptions of ``data/red_flag_corpus/*.jsonl``.

    ``with_blind_batches=False`` leaves out the red-flag test batches copied into the
    corpus after their first measurement (``MEASURED_BLIND_BATCHES``).

    Raises:
        ValueError: for a label that is neither a catalogued flag nor ``none``.
    """
    examples: List[Example] = []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        if not with_blind_batches and path.name == MEASURED_BLIND_BATCHES:
            continue
        with open(path, encoding="utf8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                item = json.loads(line)
                label = str(item["label"])
                if label != NONE and label not in RED_FLAG_CATALOGUE:
                    raise ValueError(f"{path.name}: unknown label {label!r}")
                examples.append((str(item["text"]), label))
    return examples


def ordinary_examples(nlu_dir: Path = NLU_DIR) -> List[Example]:
    """The NLU training examples that describe no symptom, as ``none`` examples.

    ``data/red_flag_corpus/chat_negatives.jsonl`` is a copy of these, refreshed by hand
    (and the thresholds chosen again) when the chat examples change a lot.

    Examples of the symptom intents, and examples annotated with a red flag, are left
    out. Entity annotations are reduced to their text.
    """
    examples: List[Example] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        with open(path, encoding="utf8") as handle:
            raw = yaml.safe_load(handle) or {}
        for block in raw.get("nlu") or []:
            if "intent" not in block or block["intent"] in SYMPTOM_INTENTS:
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if not text or "red_flag" in text:
                    continue
                examples.append((_plain_text(text), NONE))
    return examples


def _plain_text(annotated: str) -> str:
    """Turn Rasa's ``[text]{"entity": ...}`` / ``[text](entity)`` annotations into the text."""
    out: List[str] = []
    index = 0
    while index < len(annotated):
        char = annotated[index]
        if char == "[":
            close = annotated.find("]", index)
            if close != -1 and close + 1 < len(annotated) and annotated[close + 1] in "({":
                opener = annotated[close + 1]
                end = annotated.find(")" if opener == "(" else "}", close + 1)
                if end != -1:
                    out.append(annotated[index + 1 : close])
                    index = end + 1
                    continue
        out.append(char)
        index += 1
    return "".join(out)


def training_examples() -> List[Example]:
    """Everything the classifier learns from: ``data/red_flag_corpus``.

    The corpus holds a copy of the assistant's ordinary chat examples
    (``chat_negatives.jsonl``) rather than reading ``data/nlu``, so that editing the
    NLU data never moves the safety layer's thresholds.
    """
    return corpus_examples()


def fingerprint(examples: Iterable[Example]) -> str:
    """A short hash of the training examples, to tell stale thresholds from current ones."""
    digest = hashlib.sha256()
    for text, label in examples:
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()[:16]


def normalise(text: str) -> str:
    """What the classifier reads: lower case, at most ``MAX_CHARS`` characters."""
    return text[:MAX_CHARS].lower()


@dataclass(frozen=True)
class _Vocabulary:
    """One fitted vectorizer's analyser, n-gram columns (in the stacked features) and idf weights."""

    analyse: Callable[[str], List[str]]
    columns: Mapping[str, int]
    idf: Mapping[int, float]

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer, *, offset: int) -> _Vocabulary:
        """The vocabulary of a fitted ``vectorizer`` whose columns start at ``offset``."""
        columns = {gram: offset + int(column) for gram, column in vectorizer.vocabulary_.items()}
        idf = {offset + column: float(weight) for column, weight in enumerate(vectorizer.idf_)}
        return cls(vectorizer.build_analyzer(), columns, idf)


class RedFlagClassifier:
    """Probabilities of each red flag in a message, from word and character n-grams."""

    def __init__(self, examples: Sequence[Example], *, alpha: float = 1e-5) -> None:
        """Fit the classifier on ``(text, label)`` examples (labels: flag ids or ``none``)."""
        texts = [normalise(text) for text, _ in examples]
        labels = [label for _, label in examples]
        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        features = hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr()
        # Logistic regression fitted by stochastic gradient descent: on this corpus it
        # separates the flags from realistic negatives better at a low false-alarm rate
        # than the lbfgs solver, in a tenth of the time (benchmarks/red_flag_calibration.py).
        self.model = SGDClassifier(
            loss="log_loss", alpha=alpha, class_weight="balanced", max_iter=50, tol=1e-3, random_state=0
        )
        self.model.fit(features, labels)
        # Column-major weights keep each feature's weights together, so picking a
        # message's columns reads a few hundred short runs rather than the whole matrix.
        self.model.coef_ = np.asfortranarray(self.model.coef_)
        self._vocabularies = {
            self.words: _Vocabulary.of(self.words, offset=0),
            self.chars: _Vocabulary.of(self.chars, offset=len(self.words.vocabulary_)),
        }
        self.labels: Tuple[str, ...] = tuple(str(label) for label in self.model.classes_)

    def probabilities(self, texts: Sequence[str]) -> List[Dict[str, float]]:
        """Return, for each text, the probability of each flag id (``none`` left out)."""
        return [self._probabilities_of(normalise(text)) for text in texts]

    def features(self, vectorizer: TfidfVectorizer, texts: Sequence[str]) -> csr_matrix:
        """``vectorizer.transform(texts)``, as a matrix, from :meth:`_weights` (tested equal)."""
        offset = 0 if vectorizer is self.words else len(self.words.vocabulary_)
        rows: List[int] = []
        columns: List[int] = []
        values: List[float] = []
        for row, text in enumerate(texts):
            weights = self._weights(self._vocabularies[vectorizer], normalise(text))
            rows.extend([row] * len(weights))
            columns.extend(column - offset for column in weights)
            values.extend(weights.values())
        shape = (len(texts), len(vectorizer.vocabulary_))
        return csr_matrix((values, (rows, columns)), shape=shape, dtype=np.float64)

    def _probabilities_of(self, text: str) -> Dict[str, float]:
        """The probabilities of one normalised text, as the model's ``predict_proba`` gives them.

        scikit-learn builds several sparse matrices per call, which costs more than
        scoring a short message; a message has a few hundred n-grams, so picking their
        weight columns and summing is the same arithmetic at a fraction of the time.
        """
        weights = self._weights(self._vocabularies[self.words], text)
        weights.update(self._weights(self._vocabularies[self.chars], text))
        columns = np.fromiter(weights.keys(), dtype=np.intp, count=len(weights))
        values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        scores = self.model.coef_[:, columns] @ values + self.model.intercept_
        # Logistic regression fitted one-versus-rest: scikit-learn's ``_predict_proba_lr``.
        probabilities = 1.0 / (1.0 + np.exp(-scores))
        probabilities /= probabilities.sum()
        return {label: float(p) for label, p in zip(self.labels, probabilities, strict=True) if label != NONE}

    @staticmethod
    def _weights(vocabulary: _Vocabulary, text: str) -> Dict[int, float]:
        """Feature column -> weight of ``text``: sublinear tf times idf, L2-normalised."""
        counts: Dict[int, int] = {}
        for gram in vocabulary.analyse(text):
            column = vocabulary.columns.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        weights = {column: (math.log(count) + 1.0) * vocabulary.idf[column] for column, count in counts.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {column: weight / norm for column, weight in weights.items()} if norm else {}

    def flag_probabilities(self, text: str) -> Dict[str, float]:
        """Return the probability of each flag id for one text."""
        return self.probabilities([text])[0]


def fitted_classifier(examples: Sequence[Example], cache_dir: Optional[Path] = CACHE_DIR) -> RedFlagClassifier:
    """``RedFlagClassifier(examples)``, read from ``cache_dir`` when the same examples were fitted before.

    Fitting costs about a second at every start of the Rasa server and of each test
    process. The fitted model is kept as a file named by the fingerprint of the examples,
    scikit-learn's version and this module's source, so a change to any of them fits
    afresh. A missing, unreadable or unwritable cache only costs the fit.
    """
    if cache_dir is None:
        return RedFlagClassifier(examples)
    key = hashlib.sha256(
        f"{fingerprint(examples)}|{sklearn.__version__}|{np.__version__}".encode() + Path(__file__).read_bytes()
    ).hexdigest()[:20]
    path = cache_dir / f"{CACHE_PREFIX}{key}.pickle"
    try:
        with open(path, "rb") as handle:
            # The service's own file: see CACHE_DIR.
            cached = pickle.load(handle)
        if isinstance(cached, RedFlagClassifier):
            return cached
    except FileNotFoundError:
        pass
    except Exception as error:
        logger.warning("Fitting the red-flag classifier afresh: its cached copy is unreadable (%s).", error)
    classifier = RedFlagClassifier(examples)
    _keep(classifier, cache_dir, path)
    return classifier


def _keep(classifier: RedFlagClassifier, cache_dir: Path, path: Path) -> None:
    """Write ``classifier`` to ``path`` whole, under another name first, so no reader sees half a file."""
    temporary: Optional[str] = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            pickle.dump(classifier, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
        # Models fitted on earlier corpora are never read again.
        for stale in cache_dir.glob(f"{CACHE_PREFIX}*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("Could not keep the fitted red-flag classifier in %s (%s).", cache_dir, error)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
