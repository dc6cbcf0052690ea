"""Red-flag detection in free patient text: two signals, one context.

    >>> from rasa_project.understanding.red_flags import get_detector
    >>> get_detector().read("I think I might have wet myself").flags
    ['bladder_bowel_dysfunction']

Two independently built signals read every message:

- the concept rules (``patterns.yml``, run by the spaCy pipeline of ``pipeline.cfg``):
  a body function or area combined with a change in it ("bladder" x "lost control"),
  with negation decided where the symptom is composed;
- the learned classifier (``classifier.py``), trained on patient-written descriptions
  from public sources.

The context rules (``context.yml``, after ConText) decide whether a mention is the
person's symptom now. A flag counts when the rules find it in a context that counts,
or when the classifier is confident and the rules saw the flag's body area in such a
context (for emergency flags) or nothing against it (for urgent flags). A flag that
only may be present is to be asked about; one mentioned as a question, about someone
else, clearly past or as a figure of speech is set aside (see :class:`RedFlagReading`).

    >>> get_detector().read("my bladder has been acting strange").ask_about
    ['bladder_bowel_dysfunction']
    >>> get_detector().read("my bladder is fine").ask_about
    []
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel, red_flag_level
from rasa_project.understanding.red_flags.classifier import (
    ClassifierSettings,
    RedFlagClassifier,
    Thresholds,
    fitted_classifier,
    read_settings,
    training_examples,
)
from rasa_project.understanding.red_flags.context import (
    ASK,
    SET_ASIDE,
    everyday_area_flags,
    evidence_flags,
    explained_area_flags,
    mention_contexts,
    told_evidence_flags,
)
from rasa_project.understanding.red_flags.patterns import (
    HEDGE,
    NEGATION,
    NOT_A_SYMPTOM,
    PSEUDO_NEGATION,
    REASSURANCE,
)
from rasa_project.understanding.red_flags.pipeline import (
    AFFIRMED,
    CONCEPTS_KEY,
    CONCERNS_KEY,
    DEFAULT_CONFIG_PATH,
    REASSURED_KEY,
    RED_FLAGS_KEY,
    UNCERTAIN,
    build_pipeline,
)

#: Longest piece of a text the rules read at once (see :func:`text_windows`).
WINDOW_CHARS = 1_000
#: Overlap of two pieces cut inside a sentence: longer than any phrase a rule matches
#: together with the negation or hedge before it.
WINDOW_OVERLAP_CHARS = 300
#: Where the rules' sentence splitter ends a sentence (. ! ? ; and line breaks),
#: with the space after it.
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
#: Markup tags, blanked out before detection (same length, so offsets are kept):
#: messages from a web widget may carry HTML, and "myself</p>" must read as "myself".
MARKUP_TAG = re.compile(r"<[^<>]{0,200}>")
#: Words that say the person is pregnant (spec: a pregnant person with a red flag is
#: also told about their maternity triage line).
PREGNANCY_WORDS = frozenset({"pregnant", "pregnancy", "trimester", "midwife", "antenatal"})
RULES = "rules"
CLASSIFIER = "classifier"


def blank_markup(text: str) -> str:
    """Replace markup tags with spaces of the same length."""
    return MARKUP_TAG.sub(lambda match: " " * len(match.group(0)), text)


def fold_case(text: str) -> str:
    """Lower-case ``text`` character by character, keeping its length.

    Patients write in capitals as often as not, and spaCy's tokenizer exceptions
    ("can't" -> "ca" + "n't") exist only for the usual casings, so the rules read
    folded text. A character whose lower case is longer ("İ") is kept as it is, so
    that offsets into the folded text are offsets into the original.
    """
    return "".join(lower if len(lower := char.lower()) == 1 else char for char in text)


def mentions_pregnancy(doc: Doc) -> bool:
    """Whether ``doc`` says its writer is pregnant ("I'm 30 weeks pregnant", "my midwife")."""
    return any(token.lower_ in PREGNANCY_WORDS for token in doc)


@dataclass(frozen=True)
class RedFlagMention:
    """One red flag found in a text.

    flag_id: id from ``contract.RED_FLAG_CATALOGUE``.
    level: ``TriageLevel`` value of that flag.
    certainty: ``"affirmed"`` or ``"uncertain"``.
    start, end: character offsets of the matched span in the input text (the whole
        text read, for a flag the classifier found).
    text: the matched span.
    source: ``"rules"`` or ``"classifier"``.
    """

    flag_id: str
    level: str
    certainty: str
    start: int
    end: int
    text: str
    source: str = RULES


@dataclass(frozen=True)
class RedFlagConcern:
    """A mention of the body area or function of an emergency flag that did not fire.

    flag_id: id of an emergency flag in ``contract.RED_FLAG_CATALOGUE``.
    start, end: character offsets of the mention in the input text.
    text: the mention ("my bladder", "my legs feel funny").
    """

    flag_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RedFlagReading:
    """Everything the detector reads in one message about red flags.

    mentions: red flags that count: the person's, now, affirmed or uncertain.
    ask: flag id -> why the flag only may be present (an everyday cause, "nearly",
        "if", leaking on coughing, the classifier's suspicion): the assistant asks
        one direct question.
    set_aside: flag id -> why a mentioned flag is not the person's now (someone
        else's, a question or hypothetical, clearly past, a figure of speech): the
        assistant answers it as a question, naming the emergency signs.
    concerns: the areas of emergency flags the message touches on without any of the
        above ("my bladder has been acting strange"), in text order; they are asked
        about too.
    pregnant: whether the message says the person is pregnant.
    """

    mentions: Tuple[RedFlagMention, ...] = ()
    ask: Mapping[str, str] = field(default_factory=dict)
    set_aside: Mapping[str, str] = field(default_factory=dict)
    concerns: Tuple[RedFlagConcern, ...] = ()
    pregnant: bool = False

    @property
    def flags(self) -> List[str]:
        """The ids of the flags that count, in text order, once each."""
        return list(dict.fromkeys(mention.flag_id for mention in self.mentions))

    @property
    def ask_about(self) -> List[str]:
        """The ids of the flags to ask one direct question about, each once."""
        return sorted({*self.ask, *(concern.flag_id for concern in self.concerns)})


def text_windows(text: str, size: int = WINDOW_CHARS, overlap: int = WINDOW_OVERLAP_CHARS) -> Iterator[Tuple[int, str]]:
    """Split ``text`` into pieces of at most ``size`` characters, each as (offset, piece).

    A piece ends after the last sentence end or line break in its second half (the
    context rules never look across one); a sentence longer than that is cut at a
    space, and the next piece then starts ``overlap`` characters earlier, so that a
    phrase cut in two is read whole in one of them. The rules' time grows faster than
    the length of what they read, so bounded pieces keep a long message's cost linear.
    """
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        ends = [match.end() for match in _SENTENCE_END.finditer(window, size // 2)]
        if ends:
            yield start, window[: ends[-1]]
            start += ends[-1]
            continue
        space = window.rfind(" ", overlap + 1)
        cut = space if space > 0 else size
        yield start, window[:cut]
        start += max(cut - overlap, 1)
    yield start, text[start:]


@dataclass
class _RuleReading:
    """What the rule pipeline found in a text, before the classifier is consulted."""

    mentions: Dict[Tuple[str, int, int], RedFlagMention] = field(default_factory=dict)
    concerns: List[RedFlagConcern] = field(default_factory=list)
    ask: Dict[str, str] = field(default_factory=dict)
    set_aside: Dict[str, str] = field(default_factory=dict)
    negated: Set[str] = field(default_factory=set)
    evidence: Set[str] = field(default_factory=set)
    area_evidence: Set[str] = field(default_factory=set)
    #: Flags whose evidence the rules read in any context, counting or not.
    told: Set[str] = field(default_factory=set)
    #: Whether the rules saw any clinical concept at all (a body part, a symptom, ...).
    clinical: bool = False
    #: Whether the rules read a look-alike explained as no symptom ("up in the night
    #: with the baby", "a calf cramp wakes me", "I walk funny because of my knees").
    explained: bool = False
    #: Flags whose body area was named only with an everyday cause ("my bum aches from
    #: the hard chairs") or an explanation ("pregnant and peeing every hour").
    explained_areas: Set[str] = field(default_factory=set)
    #: Flags whose body area was named only with an all-clear ("I've got full feeling
    #: down there", "my bladder's fine"), never as a concern.
    reassured_areas: Set[str] = field(default_factory=set)
    #: Flags whose body area was named in an everyday act ("I had a wee before I came out").
    everyday_areas: Set[str] = field(default_factory=set)
    #: Flags with a body-area mention that no all-clear covers.
    unreassured_areas: Set[str] = field(default_factory=set)
    pregnant: bool = False


#: Concepts that say how something is told (negated, hedged, reassured), not what: on
#: their own they are nothing clinical.
ASSERTION_CUES = frozenset({NEGATION, HEDGE, PSEUDO_NEGATION, NOT_A_SYMPTOM, REASSURANCE})


class RedFlagDetector:
    """Find red flags with the concept rules and the learned classifier, in context."""

    def __init__(
        self,
        nlp: Language,
        classifier: Optional[RedFlagClassifier] = None,
        settings: Optional[ClassifierSettings] = None,
    ) -> None:
        """Create a detector from a built rule pipeline and, optionally, a fitted classifier."""
        self.nlp = nlp
        self.classifier = classifier
        self.settings = settings

    @classmethod
    def from_config(cls, config_path: str | Path = DEFAULT_CONFIG_PATH, *, learned: bool = True) -> RedFlagDetector:
        """Build the rule pipeline from ``config_path`` and, with ``learned``, fit the classifier."""
        nlp = build_pipeline(config_path)
        if not learned:
            return cls(nlp)
        return cls(nlp, fitted_classifier(training_examples()), read_settings())

    def detect(self, text: str) -> List[RedFlagMention]:
        """Return the red flags of ``text`` that count, sorted by start offset."""
        return list(self.read(text).mentions)

    def concerns(self, text: str) -> List[str]:
        """Return the flags ``text`` may describe, to be asked about (see :attr:`RedFlagReading.ask_about`)."""
        return self.read(text).ask_about

    def read(self, text: str) -> RedFlagReading:
        """Read ``text`` for red flags: what counts, what to ask about, what is set aside.

        text: any string; non-strings, empty and whitespace-only input give an empty
            reading. Letter case, markup and length do not matter: the text is folded
            to lower case, tags are blanked out and long text is read in windows.
        RETURNS: the reading (see :class:`RedFlagReading`). Offsets index ``text``.
        """
        if not isinstance(text, str) or not text.strip():
            return RedFlagReading()
        rules = self._read_rules(text)
        mentions = dict(rules.mentions)
        ask = dict(rules.ask)
        flagged = {flag_id for flag_id, _start, _end in mentions}
        concerned = {concern.flag_id for concern in rules.concerns}
        for flag_id, probability in self._probabilities(text).items():
            thresholds = self.settings.for_flag(flag_id) if self.settings else None
            if thresholds is None or flag_id in flagged or flag_id in rules.set_aside or flag_id in rules.negated:
                continue
            if self._may_escalate(flag_id, probability, thresholds, rules):
                mentions[(flag_id, 0, len(text))] = RedFlagMention(
                    flag_id, red_flag_level(flag_id).value, UNCERTAIN, 0, len(text), text, CLASSIFIER
                )
                flagged.add(flag_id)
            elif probability >= thresholds.ask and self._may_ask(flag_id, rules) and flag_id not in {*ask, *concerned}:
                ask[flag_id] = CLASSIFIER
        ask = {flag: reason for flag, reason in ask.items() if flag not in flagged}
        concerns = sorted(
            {c for c in rules.concerns if c.flag_id not in flagged and c.flag_id not in ask},
            key=lambda c: (c.start, c.end, c.flag_id),
        )
        return RedFlagReading(
            mentions=tuple(sorted(mentions.values(), key=lambda m: (m.start, m.end, m.flag_id))),
            ask=ask,
            set_aside={
                flag: reason for flag, reason in rules.set_aside.items() if flag not in flagged and flag not in ask
            },
            concerns=tuple(concerns),
            pregnant=rules.pregnant,
        )

    @staticmethod
    def _may_ask(flag_id: str, rules: _RuleReading) -> bool:
        """Whether the classifier alone may prompt a direct question about ``flag_id``.

        Only when the rules saw something clinical (a body function, area or symptom,
        not only a negation or hedge). Where they saw nothing clinical the classifier
        reads only the shape of everyday talk: on the ordinary messages of the blind
        dialogues ("hi, I'm a gardener and my back has been sore since the spring") it
        prompted a question in one message of a hundred, with scores as high as those of
        its rare true finds, and a direct question whose answer is not a plain "no"
        escalates. Not when the rules read the flag's own evidence only denied or set
        aside ("it doesn't wake me at night", "my wife has osteoporosis", "the pins and
        needles went away"): the classifier reads the topic, the rules read what was
        said of it. Nor when they explained a look-alike as no symptom and read none of
        the flag's evidence ("new mum, up in the night to feed her"), or named the flag's
        body area only with what explains it ("36 weeks, up three times a night to pee
        with the baby on my bladder") and read no change in it.
        """
        seen = rules.evidence | rules.area_evidence
        denied = flag_id in rules.told and flag_id not in seen
        # A look-alike the rules explained ("up twice a night to pee with the baby on my
        # bladder", "a cramp wakes me") is the very wording the classifier scores: with
        # none of the flag's own evidence left, it is no sign to ask about.
        explained = (rules.explained and flag_id not in seen) or (
            (flag_id in rules.explained_areas or flag_id in rules.reassured_areas) and flag_id not in rules.evidence
        )
        return not denied and not explained and rules.clinical

    @staticmethod
    def _may_escalate(flag_id: str, probability: float, thresholds: Thresholds, rules: _RuleReading) -> bool:
        """Whether the classifier alone makes ``flag_id`` count, at ``probability``.

        Only where the rules saw the flag's evidence in a context that counts (the
        rule file's ``evidence``: a change in the body function or feeling for emergency
        flags, the topic for the others), and set nothing in the message aside. Where
        they saw only the flag's body area (``area_evidence``), only at the stricter
        ``escalate_on_area`` threshold: on its own the classifier reads topics as much as
        symptoms, and "I went to the loo before bed" scores high for lost bladder control.
        Never on the body area alone when it was told only as normal ("full feeling
        down there") or with what explains it ("I had a wee before I came out"): the
        classifier scores the area's words, not the all-clear or the explanation.
        """
        if rules.set_aside:
            return False
        if flag_id in rules.evidence:
            return probability >= thresholds.escalate
        return (
            flag_id in rules.area_evidence
            and flag_id not in rules.reassured_areas | rules.everyday_areas
            and probability >= thresholds.escalate_on_area
        )

    def _probabilities(self, text: str) -> Dict[str, float]:
        """Each flag's highest probability over the pieces the rules read, so a long text is read to its end."""
        if self.classifier is None:
            return {}
        pieces = [piece for _offset, piece in text_windows(fold_case(blank_markup(text)))]
        highest: Dict[str, float] = {}
        for probabilities in self.classifier.probabilities(pieces):
            for flag_id, probability in probabilities.items():
                highest[flag_id] = max(probability, highest.get(flag_id, 0.0))
        return highest

    def _read_rules(self, text: str) -> _RuleReading:
        reading = _RuleReading()
        for offset, window in text_windows(fold_case(blank_markup(text))):
            doc = self.nlp(window)
            reading.pregnant = reading.pregnant or mentions_pregnancy(doc)
            reading.concerns.extend(self._area_mentions(doc, text, offset))
            reading.negated.update(c.flag_id for c in doc._.red_flag_candidates or [] if c.negated)
            reading.evidence.update(evidence_flags(doc))
            reading.area_evidence.update(evidence_flags(doc, area=True))
            reading.told.update(told_evidence_flags(doc))
            concepts = doc.spans.get(CONCEPTS_KEY, ())
            reading.clinical = reading.clinical or any(span.label_ not in ASSERTION_CUES for span in concepts)
            reading.explained = reading.explained or any(span.label_ == NOT_A_SYMPTOM for span in concepts)
            reading.explained_areas.update(explained_area_flags(doc))
            reassured = list(doc.spans.get(REASSURED_KEY, ()))
            reading.reassured_areas.update(span.label_ for span in reassured)
            reading.everyday_areas.update(everyday_area_flags(doc))
            reading.unreassured_areas.update(
                span.label_
                for span in doc._.red_flag_area_evidence or ()
                if not any(r.start <= span.start and span.end <= r.end for r in reassured)
            )
            for span in doc.spans[RED_FLAGS_KEY]:
                if span.label_ not in RED_FLAG_CATALOGUE:
                    continue
                start, end = offset + span.start_char, offset + span.end_char
                reading.mentions.setdefault(
                    (span.label_, start, end),
                    RedFlagMention(
                        span.label_,
                        red_flag_level(span.label_).value,
                        self._certainty(doc, span),
                        start,
                        end,
                        text[start:end],
                    ),
                )
            for (_start, _end, flag_id), context in mention_contexts(doc).items():
                if flag_id not in RED_FLAG_CATALOGUE:
                    continue
                if context.outcome == ASK:
                    reading.ask.setdefault(flag_id, context.reason or ASK)
                elif context.outcome == SET_ASIDE:
                    reading.set_aside.setdefault(flag_id, context.reason or SET_ASIDE)
        flagged = {flag_id for flag_id, _start, _end in reading.mentions}
        reading.reassured_areas -= reading.unreassured_areas | {concern.flag_id for concern in reading.concerns}
        reading.everyday_areas -= {concern.flag_id for concern in reading.concerns}
        reading.negated -= flagged
        reading.ask = {flag: reason for flag, reason in reading.ask.items() if flag not in flagged}
        reading.set_aside = {
            flag: reason
            for flag, reason in reading.set_aside.items()
            if flag not in flagged and flag not in reading.ask
        }
        return reading

    @staticmethod
    def _area_mentions(doc: Doc, text: str, offset: int) -> Iterator[RedFlagConcern]:
        for span in doc.spans.get(CONCERNS_KEY, ()):
            flag_id = span.label_
            # Concerns exist to catch missed emergencies; a rule file that names a
            # lesser flag under `concerns` must not make the assistant ask about it.
            if flag_id not in RED_FLAG_CATALOGUE or red_flag_level(flag_id) is not TriageLevel.EMERGENCY:
                continue
            start, end = offset + span.start_char, offset + span.end_char
            yield RedFlagConcern(flag_id=flag_id, start=start, end=end, text=text[start:end])

    @staticmethod
    def _certainty(doc: Doc, span: Span) -> str:
        for candidate in doc._.red_flag_candidates or []:
            if candidate.span == span and candidate.flag_id == span.label_ and not candidate.negated:
                return candidate.certainty
        return AFFIRMED


_detector: Optional[RedFlagDetector] = None
_detector_lock = threading.Lock()


def get_detector() -> RedFlagDetector:
    """Return the process-wide detector, building it on first use.

    Building (the rule pipeline, and fitting the classifier, about a second) is guarded
    by a lock so that concurrent first calls build it once. Neither signal keeps state
    between calls, so one instance serves all threads.
    """
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = RedFlagDetector.from_config()
    return _detector
