"""spaCy pipeline components of the red-flag detector, and the pipeline builder.

The pipeline (see ``pipeline.cfg``) runs, after the rule-based English tokenizer:

1. ``typo_normalizer``: corrects misspelt key words ("bladdr", "bowles") in
   ``Token.norm_``, using rapidfuzz against the vocabulary of the rule file.
2. ``norm_lemmatizer``: spaCy's lookup lemmatizer with the spacy-lookups-data
   table, applied to the normalised form instead of the raw text.
3. ``sentencizer``: rule-based sentence boundaries.
4. ``clinical_concept_matcher``: a ``Matcher`` over lemmas that marks concept
   spans (body parts, kinds of altered feeling, negation and hedge cues, ...).
5. ``red_flag_composer``: combines concepts into red-flag mentions and decides
   whether each is affirmed, uncertain or negated.

Negation and uncertainty are scoped here rather than with negspacy. negspacy
negates named entities using termsets of single cue phrases; it has no notion of a
negation word that belongs to the symptom itself ("I can't control my bladder",
"haven't been able to pee"), which for this domain is the most common shape of an
emergency. Here every phrase that carries its own negation is a concept span, and a
negation cue counts only when it lies outside every concept span, inside the
mention's clause, and shortly before or inside the mention.
"""

# No ``from __future__ import annotations`` here: spaCy reads the factory signatures
# at run time to validate the config, and needs real types, not strings.
from pathlib import Path
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

import spacy
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Lemmatizer
from spacy.symbols import NORM, ORTH
from spacy.tokens import Doc, Span, Token
from thinc.api import Model

# Imported for its side effect: it registers the "red_flag_context" factory of pipeline.cfg.
import rasa_project.understanding.red_flags.context  # noqa: F401
from rasa_project.understanding.red_flags.patterns import (
    CONTRAST_WORDS,
    HEDGE,
    LEMMA_CORRECTIONS,
    NEGATION,
    NOT_A_SYMPTOM,
    PACKAGE_DIR,
    PSEUDO_NEGATION,
    REASSURANCE,
    UNKNOWN_WORD_LOG_PROB,
    ConceptTriggers,
    RedFlagRules,
    concept_vocabulary,
    english_lemma_table,
    english_word_log_probabilities,
    phrase_patterns,
    read_rules,
)

DEFAULT_CONFIG_PATH = PACKAGE_DIR / "pipeline.cfg"
CONCEPTS_KEY = "clinical_concepts"
RED_FLAGS_KEY = "red_flags"
CONCERNS_KEY = "red_flag_concerns"
#: Body-area mentions (``area_evidence``) that an all-clear covers ("full feeling down
#: there", "my bladder is fine"): the detector keeps the learned classifier from
#: raising or asking about a flag whose body area was only told as normal.
REASSURED_KEY = "red_flag_reassured_areas"
AFFIRMED = "affirmed"
UNCERTAIN = "uncertain"

#: Words that open a new clause after a comma, "and" or a dash: "no fever, I've wet
#: myself" negates the fever only.
CLAUSE_OPENERS = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "i'd",
        "im",
        "ive",
        "my",
        "it",
        "it's",
        "its",
        "he",
        "she",
        "they",
        "we",
        "now",
        "then",
        "also",
        "this",
        "that",
        "there",
        "since",
        "today",
        "yesterday",
        "recently",
        "lately",
        "plus",
        # A vague subject opens what really happens after a cause ruled out: "it's not
        # constipation - stuff just comes out".
        "stuff",
        "things",
        "something",
        "everything",
    ]
)
#: Words that open a new clause after a comma only: "can't walk properly, legs are
#: weak". After "and" they continue a list: "my bladder and bowels are fine". "Just"
#: and "only" set what is there against what is not: "no falls, just sat down hard";
#: "more" corrects it: "not numb exactly, more like cling film".
COMMA_CLAUSE_OPENERS = frozenset(
    ["legs", "leg", "feet", "foot", "bladder", "bowels", "bowel", "bum", "bottom", "just", "only", "more"]
)
#: Pain words that open a clause of their own after ", the": "not numb, the pain goes down my leg".
PAIN_SUBJECTS = frozenset(["pain", "ache", "aching", "sciatica", "burning", "throbbing"])
#: Words that always end the scope of a negation cue before them.
SCOPE_BREAKERS = CONTRAST_WORDS | frozenset(
    [
        "though",
        "except",
        "yet",
        "whereas",
        "apart",
        "instead",
        "since",
        "because",
        "cause",
        "cos",
        "when",
        "after",
        "while",
        "until",
        "before",
    ]
)
#: Cue words that, followed by punctuation, answer a question rather than negate
#: what follows ("No, I wet myself last night").
STANDALONE_ANSWERS = frozenset({"no", "nope"})
#: Auxiliaries whose "not" before punctuation stands for a verb left out: in "feels like
#: I've sat on a saddle all day, except I haven't, all numb" it denies the sitting.
ELLIPSIS_AUXILIARIES = frozenset(
    {"have", "has", "had", "do", "does", "did", "am", "is", "are", "was", "were", "ca", "could", "wo", "would"}
)
NOT_WORDS = frozenset({"not", "n't", "nt"})


class RedFlagCandidate(NamedTuple):
    """A red-flag mention the composer found, before negated ones are dropped."""

    flag_id: str
    span: Span
    certainty: str
    negated: bool


if not Doc.has_extension("red_flag_candidates"):
    Doc.set_extension("red_flag_candidates", default=None)
#: Spans of the concepts the classifier needs to raise a flag on its own (the rule
#: file's `evidence`), labelled with the flag id, not negated; ``red_flag_context``
#: keeps those in a context that counts.
if not Doc.has_extension("red_flag_evidence"):
    Doc.set_extension("red_flag_evidence", default=None)
#: The same for the rule file's `area_evidence`.
if not Doc.has_extension("red_flag_area_evidence"):
    Doc.set_extension("red_flag_area_evidence", default=None)
#: The rule file's `evidence` concepts, labelled with the flag id, in any context.
if not Doc.has_extension("red_flag_evidence_told"):
    Doc.set_extension("red_flag_evidence_told", default=None)
#: Mentions of the rule file's `condition_flags` (span start, end, flag id) -> the
#: condition of the person they rest on ("I'm 74"), which must be the person's too.
if not Doc.has_extension("red_flag_conditions"):
    Doc.set_extension("red_flag_conditions", default=None)


# --- typo normalisation ------------------------------------------------------------


class TypoNormalizer:
    """Correct misspelt key words in ``Token.norm_``.

    Only alphabetic tokens that are not known English words (the keys and values of
    the lemma lookup table, the words of the ``lexeme_prob`` table at least as
    frequent as ``known_min_log_prob``, the rule file's ``known_words``, plus the rule
    vocabulary) are considered, so
    a real word such as "bowl", "indeed" or "urgent" is never turned into "bowel",
    "winded" or "gent".
    """

    def __init__(
        self,
        name: str,
        patterns_path: str,
        min_length: int,
        min_score: float,
        short_word_min_score: float,
        known_min_log_prob: float,
    ) -> None:
        self.name = name
        self.known_min_log_prob = known_min_log_prob
        self.patterns_path = patterns_path
        self.min_length = min_length
        self.min_score = min_score
        self.short_word_min_score = short_word_min_score
        self._vocabulary: Tuple[str, ...] = ()
        self._known: Set[str] = set()
        self._corrections: Dict[str, Optional[str]] = {}
        self._dialect: Mapping[str, str] = {}
        self._spoken_pairs: Mapping[Tuple[str, str], Tuple[str, ...]] = {}
        self._dictionary: Set[str] = set()
        self._log_probs: Mapping[str, float] = {}

    def initialize(self, get_examples: Optional[Callable] = None, *, nlp: Optional[Language] = None) -> None:
        """Load the rule vocabulary and the known words; teach ``nlp``'s tokenizer the misspelt contractions."""
        rules = read_rules(self.patterns_path)
        table = english_lemma_table()
        vocabulary = concept_vocabulary(rules, table)
        self._vocabulary = tuple(sorted(vocabulary))
        # The lemma table lists inflected forms and their lemmas only; frequent words
        # it lacks ("indeed", "oops", "literally") would otherwise be "corrected".
        self._log_probs = english_word_log_probabilities()
        self._dictionary = set(table) | set(table.values())
        frequent = {word for word, log_prob in self._log_probs.items() if log_prob >= self.known_min_log_prob}
        self._known = self._dictionary | frequent | set(vocabulary) | set(rules.known_words)
        self._corrections = {}
        # A single spoken form is read like a dialect word; pairs are read in __call__.
        self._dialect = {
            **rules.dialect_words,
            **{words[0]: standard[0] for words, standard in rules.spoken_forms.items() if len(words) == 1},
        }
        self._spoken_pairs = {
            (words[0], words[1]): standard for words, standard in rules.spoken_forms.items() if len(words) == 2
        }
        if nlp is not None:
            add_contraction_typos(nlp, rules.contraction_typos)

    def correction(self, word: str) -> Optional[str]:
        """Return the vocabulary word closest to an unknown ``word``, or None.

        word: a lower-cased token text.
        """
        if word in self._corrections:
            return self._corrections[word]
        result: Optional[str] = self._dialect.get(word) or self._dropped_g(word)
        if (
            result is None
            and len(word) >= self.min_length
            and word.isascii()
            and word.isalpha()
            and word not in self._known
        ):
            cutoff = self.short_word_min_score if len(word) <= self.min_length else self.min_score
            best = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
            result = best[0] if best else None
        # Bounded so that a stream of random strings cannot grow memory without limit.
        if len(self._corrections) > 50_000:
            self._corrections.clear()
        self._corrections[word] = result
        return result

    def _dropped_g(self, word: str) -> Optional[str]:
        """Return the "-ing" word that ``word`` writes without its "g" ("gettin" -> "getting"), or None.

        Only for a word that is no dictionary word itself ("cabin", "satin" stay) and
        whose "-ing" form is the more common one: slang as frequent as "gettin" would
        otherwise count as known and keep its "g" missing from the rules.
        """
        if len(word) < 4 or not word.endswith("in") or word in self._dictionary:
            return None
        full = word + "g"
        unknown = UNKNOWN_WORD_LOG_PROB
        if full in self._dictionary and self._log_probs.get(full, unknown) > self._log_probs.get(word, unknown):
            return full
        return None

    def __call__(self, doc: Doc) -> Doc:
        """Read the spoken forms of word pairs, then set ``norm_`` of each misspelt key word to its correction."""
        read = self._read_spoken_pairs(doc)
        for token in doc:
            if token.i in read:
                continue
            # A piece of a split contraction keeps the norm the tokenizer gave it: the
            # "nae" of "cannae" is "not", not the dialect word "nae" ("no").
            split_piece = token.i > 0 and not doc[token.i - 1].whitespace_ and doc[token.i - 1].is_alpha
            if split_piece and token.lower_ in self._dialect:
                continue
            corrected = self.correction(token.lower_)
            if corrected is not None:
                token.norm_ = corrected
        return doc

    def _read_spoken_pairs(self, doc: Doc) -> Set[int]:
        """Give each pair of words in ``spoken_forms`` the norms of the words it stands for.

        A pair that stands for one word ("in continent") becomes one token, so that the
        rules read it as that word; its characters stay where they were.
        RETURNS: the indices (after merging) of the tokens read so, which no typo
            correction may change.
        """
        if not self._spoken_pairs:
            return set()
        merges: List[Tuple[int, str]] = []
        read: Set[int] = set()
        index = 0
        while index + 1 < len(doc):
            standard = self._spoken_pairs.get((doc[index].lower_, doc[index + 1].lower_))
            if standard is None:
                index += 1
                continue
            if len(standard) == 1:
                merges.append((index, standard[0]))
            else:
                doc[index].norm_, doc[index + 1].norm_ = standard
                # Each merge before this pair moves it one token to the left.
                read.update({index - len(merges), index + 1 - len(merges)})
            index += 2
        read.update(start - number for number, (start, _norm) in enumerate(merges))
        if merges:
            with doc.retokenize() as retokenizer:
                for start, norm in merges:
                    retokenizer.merge(doc[start : start + 2], attrs={"NORM": norm})
        return read


def contraction_typo_pieces(typo: str, word: str, negation: str) -> List[Dict[str, str]]:
    """Return the tokenizer special case that splits a misspelt contraction.

    The text is cut before its negation part ("cnat" -> "cn" + "at", "cannae" ->
    "can" + "nae"), and each piece gets the norm it stands for.
    """
    cut = len(typo) - (3 if typo.lower().endswith("nae") else 2)
    return [{ORTH: typo[:cut], NORM: word}, {ORTH: typo[cut:], NORM: negation}]


def add_contraction_typos(nlp: Language, typos: Mapping[str, Tuple[str, str]]) -> None:
    """Add tokenizer special cases for misspelt contractions, in the usual casings."""
    tokenizer: Any = nlp.tokenizer
    for typo, (word, negation) in typos.items():
        for form in {typo, typo.capitalize(), typo.upper()}:
            tokenizer.add_special_case(form, contraction_typo_pieces(form, word, negation))


@Language.factory(
    "typo_normalizer",
    default_config={
        "patterns_path": "patterns.yml",
        "min_length": 4,
        "min_score": 80.0,
        "short_word_min_score": 85.0,
        "known_min_log_prob": -14.0,
    },
)
def make_typo_normalizer(
    nlp: Language,
    name: str,
    patterns_path: str,
    min_length: int,
    min_score: float,
    short_word_min_score: float,
    known_min_log_prob: float,
) -> TypoNormalizer:
    """Create a ``TypoNormalizer`` (see its docstring)."""
    return TypoNormalizer(name, patterns_path, min_length, min_score, short_word_min_score, known_min_log_prob)


# --- lemmatisation of the normalised form --------------------------------------------


class NormLemmatizer(Lemmatizer):
    """spaCy's lookup lemmatizer, applied to ``Token.norm_``.

    ``norm_`` carries both spaCy's tokenizer norms ("n't" -> "not", "ca" -> "can")
    and the typo corrections, so the lemma of "cant" is "can" + "not" and the lemma
    of "bowles" is "bowel".
    """

    @classmethod
    def get_lookups_config(cls, mode: str) -> Tuple[List[str], List[str]]:
        """Return the required and optional lookup tables of a mode."""
        if mode == "norm_lookup":
            return (["lemma_lookup"], [])
        return super().get_lookups_config(mode)

    def norm_lookup_lemmatize(self, token: Token) -> List[str]:
        """Lemmatise a token by looking its normalised form up in ``lemma_lookup``."""
        if token.norm_ in LEMMA_CORRECTIONS:
            return [LEMMA_CORRECTIONS[token.norm_]]
        table = self.lookups.get_table("lemma_lookup", {})
        return [table.get(token.norm_, token.norm_)]


@Language.factory(
    "norm_lemmatizer",
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "norm_lookup", "overwrite": True, "scorer": None},
)
def make_norm_lemmatizer(
    nlp: Language, model: Optional[Model], name: str, mode: str, overwrite: bool, scorer: Optional[Callable]
) -> NormLemmatizer:
    """Create a ``NormLemmatizer`` (see its docstring)."""
    return NormLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


# --- concept matching -----------------------------------------------------------------


def drop_masked_spans(spans: Iterable[Span], rules: RedFlagRules) -> List[Span]:
    """Drop spans that lie strictly inside a longer span whose concept masks theirs.

    Spans with identical boundaries are all kept, because one phrase may express two
    concepts ("did nothing": no benefit from insoles, and unrelenting pain).
    """
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label_))
    longest = max((len(span) for span in ordered), default=0)
    kept: List[Span] = []
    for index, span in enumerate(ordered):
        # A longer span around this one starts at most `longest` tokens before it and
        # sorts before it (same start: longer first), so only those are looked at.
        first = index
        while first > 0 and ordered[first - 1].start >= span.start - longest:
            first -= 1
        masked = any(
            other.start <= span.start
            and span.end <= other.end
            and len(other) > len(span)
            and rules.masked(other.label_, span.label_)
            for other in ordered[first:index]
        )
        if not masked:
            kept.append(span)
    return kept


class ClinicalConceptMatcher:
    """Mark the concept phrases of the rule file in ``doc.spans["clinical_concepts"]``."""

    def __init__(self, nlp: Language, name: str, patterns_path: str, validate_patterns: bool = True) -> None:
        self.name = name
        self.patterns_path = patterns_path
        self.matcher = Matcher(nlp.vocab, validate=validate_patterns)
        self.rules: RedFlagRules = read_rules(patterns_path)
        self.triggers: Optional[ConceptTriggers] = None

    def initialize(self, get_examples: Optional[Callable] = None, *, nlp: Optional[Language] = None) -> None:
        """Compile the rule file's phrases into the matcher."""
        rules = read_rules(self.patterns_path)
        self.rules = rules
        self.triggers = ConceptTriggers(rules, english_lemma_table(), english_word_log_probabilities())
        by_label: Dict[str, List] = {}
        for label, pattern in phrase_patterns(rules, english_lemma_table()):
            by_label.setdefault(label, []).append(pattern)
        for label, patterns in by_label.items():
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> Doc:
        """Mark the concept phrases of the sentences that may satisfy a rule."""
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        in_text = self._possible_concepts(doc[:])
        spans: List[Span] = []
        for sentence in sentences:
            # Long messages are mostly sentences no rule can fire in; skipping them
            # keeps detection in a long message about as fast as in a short one.
            if not self._may_satisfy_a_rule(sentence, in_text):
                continue
            for match_id, start, end in self.matcher(sentence):
                spans.append(Span(doc, sentence.start + start, sentence.start + end, label=match_id))
        doc.spans[CONCEPTS_KEY] = drop_masked_spans(spans, self.rules)
        return doc

    def _possible_concepts(self, span: Span) -> Optional[Set[str]]:
        """The concepts whose phrases may match in ``span`` (None: any may)."""
        if self.triggers is None:
            return None
        return self.triggers.concepts_in({token.lemma_ for token in span} | {token.lower_ for token in span})

    def _may_satisfy_a_rule(self, sentence: Span, in_text: Optional[Set[str]]) -> bool:
        present = self._possible_concepts(sentence)
        if present is None or in_text is None:
            return True
        rules = self.rules
        in_sentence = any(
            all(label in present for label in rule)
            for rules_of_flag in (*rules.flags.values(), *rules.concerns.values(), *rules.sentence_flags.values())
            for rule in rules_of_flag
        )
        # A condition rule's two concepts may be told in different sentences.
        return in_sentence or any(
            (condition in present or event in present) and condition in in_text and event in in_text
            for rules_of_flag in rules.condition_flags.values()
            for condition, event in rules_of_flag
        )


@Language.factory(
    "clinical_concept_matcher", default_config={"patterns_path": "patterns.yml", "validate_patterns": True}
)
def make_clinical_concept_matcher(
    nlp: Language, name: str, patterns_path: str, validate_patterns: bool
) -> ClinicalConceptMatcher:
    """Create a ``ClinicalConceptMatcher`` (see its docstring)."""
    return ClinicalConceptMatcher(nlp, name, patterns_path, validate_patterns)


# --- composing concepts into red flags -------------------------------------------------


def _sentence_bounds(doc: Doc) -> List[Tuple[int, int]]:
    """Return, for each token index, the (start, end) of its sentence."""
    bounds: List[Tuple[int, int]] = [(0, len(doc))] * len(doc)
    if doc.has_annotation("SENT_START"):
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                bounds[i] = (sent.start, sent.end)
    return bounds


def _opens_clause(doc: Doc, i: int) -> bool:
    """Whether the token at ``i`` ends the scope of a negation cue before it."""
    token = doc[i]
    lower = token.lower_
    if lower in SCOPE_BREAKERS or token.text in {";", ":", "(", ")"}:
        return True
    if lower in {",", "and", "-", "–", "—", "&", "so"} and i + 1 < len(doc):
        following = doc[i + 1].lower_
        if following in CLAUSE_OPENERS or (lower == "," and following in COMMA_CLAUSE_OPENERS):
            return True
        if i + 2 < len(doc) and (following + doc[i + 2].lower_) in CLAUSE_OPENERS:
            return True
        # "Not numb, the pain just goes down my leg": a pain told after a comma is a clause of its own.
        # Read by the normalised form, so that the dialect "di pain" is "the pain".
        if lower == "," and doc[i + 1].norm_ == "the" and i + 2 < len(doc) and doc[i + 2].lower_ in PAIN_SUBJECTS:
            return True
    return False


class RedFlagComposer:
    """Combine concept spans into red-flag mentions with their assertion status.

    A flag's rule is one concept, or two concepts in the same sentence at most
    ``max_gap`` tokens apart; a rule of the file's ``sentence_flags`` allows any
    distance within the sentence, and one of its ``condition_flags`` takes the condition
    from anywhere in the text and makes the event alone the mention. A mention is
    negated when a negation cue that is not part of any concept lies in the mention's
    clause, before the mention's end and at most ``negation_window`` tokens before its
    start, or opens the clause of the mention's later concept ("I can feel everything
    when I wipe (sorry), no tingling"); a condition mention also when every condition it
    may rest on is negated. It is uncertain when a hedge ("might", "not sure if")
    reaches it (see ``_hedges``) or its sentence ends in a question mark.

    Concerns are found the same way with the rule file's ``concerns`` rules: a mention
    of the body area or function of a flag counts when it is not negated and no
    all-clear (``REASSURANCE``, see ``_is_reassured``) reaches it.

    Results: ``doc._.red_flag_candidates`` (all mentions, with ``negated``),
    ``doc.spans["red_flags"]`` (the mentions that count, labelled with the flag id),
    ``doc.spans["red_flag_concerns"]`` (the area mentions that count, labelled
    with the flag id, whether or not that flag fired) and ``doc._.red_flag_conditions``
    (the condition each condition mention rests on, for the context rules).
    """

    def __init__(self, name: str, patterns_path: str, max_gap: int, negation_window: int) -> None:
        self.name = name
        self.rules: RedFlagRules = read_rules(patterns_path)
        self.triggers: Dict[str, FrozenSet[str]] = {}
        self.max_gap = max_gap
        self.negation_window = negation_window

    def __call__(self, doc: Doc) -> Doc:
        """Compose the concept spans into red-flag mentions and concerns."""
        concepts: Sequence[Span] = list(doc.spans[CONCEPTS_KEY]) if CONCEPTS_KEY in doc.spans else []
        by_label: Dict[str, List[Span]] = {}
        for span in concepts:
            by_label.setdefault(span.label_, []).append(span)
        sentences = _sentence_bounds(doc)
        matches = [
            (flag_id, start, end, parts)
            for flag_id, rules in self.rules.flags.items()
            for start, end, parts in self._rule_matches(rules, by_label, sentences)
        ]
        matches.extend(
            (flag_id, start, end, parts)
            for flag_id, rules in self.rules.sentence_flags.items()
            for start, end, parts in self._sentence_matches(rules, by_label, sentences)
        )
        # A condition rule's mention is its event, in the event's sentence; the
        # conditions it may rest on are kept aside until negation is known.
        condition_options: Dict[Tuple[str, int, int], List[Span]] = {}
        for flag_id, rules in self.rules.condition_flags.items():
            for condition_label, event_label in rules:
                told = by_label.get(condition_label, [])
                for event in by_label.get(event_label, []):
                    apart = [c for c in told if c.end <= event.start or event.end <= c.start]
                    if apart:
                        key = (flag_id, event.start, event.end)
                        if key not in condition_options:
                            matches.append((flag_id, event.start, event.end, (event,)))
                        condition_options.setdefault(key, []).extend(apart)
        # A negation word inside a phrase that is itself part of a symptom ("can't
        # control", "haven't been able to") or of a hedge ("not sure") is no cue. A
        # phrase that forms no symptom here protects nothing: "no changes in my bowel
        # habits" is negated although "no change" is a phrase of the insole rule.
        # The exception are the rule file's `keeps_negation` concepts, whose phrases
        # describe a symptom on their own: in "I couldn't hold it in and messed
        # myself" the "not" belongs to the loss of control, not to "messed myself".
        keeps = [span for label in self.rules.keeps_negation for span in by_label.get(label, [])]
        matched_parts = {i for *_, parts in matches for part in parts for i in range(part.start, part.end)}
        protected = {
            i
            for span in [*(part for *_, parts in matches for part in parts), *self._cue_phrases(by_label), *keeps]
            for i in range(span.start, span.end)
        }
        cues = [span.start for span in by_label.get(NEGATION, []) if self._is_negation_cue(doc, span, protected)]
        hedges = [span.start for span in by_label.get(HEDGE, [])]
        candidates: List[RedFlagCandidate] = []
        conditions: Dict[Tuple[int, int, str], Span] = {}
        for flag_id, start, end, parts in matches:
            sentence = sentences[start]
            is_last = not any(
                other_start >= end and sentences[other_start] == sentence for _, other_start, _, _ in matches
            )
            uncertain = doc[sentence[1] - 1].text == "?" or any(
                self._hedges(doc, hedge, start, end, sentence, is_last, protected) for hedge in hedges
            )
            own_verb = self._own_verb_negations(doc, by_label, keeps, start, parts, matched_parts)
            negated = self._is_negated(
                doc, start, end, cues + own_verb, sentence, protected - set(own_verb)
            ) or self._negates_a_later_part(doc, start, parts, cues, protected)
            options = condition_options.get((flag_id, start, end))
            if options is not None:
                standing = [
                    c for c in options if not self._is_negated(doc, c.start, c.end, cues, sentences[c.start], protected)
                ]
                negated = negated or not standing
                if standing:
                    conditions[(start, end, flag_id)] = min(
                        standing, key=lambda c: (sentences[c.start] != sentence, abs(c.start - start))
                    )
            span = Span(doc, start, end, label=flag_id)
            candidates.append(RedFlagCandidate(flag_id, span, UNCERTAIN if uncertain else AFFIRMED, negated))
        kept = self._resolve(candidates)
        doc._.red_flag_candidates = candidates
        doc._.red_flag_conditions = conditions
        # Every evidence concept told, whatever its context: where the rules read a
        # flag's topic only denied or set aside, the classifier has nothing to ask about.
        doc._.red_flag_evidence_told = [
            Span(doc, span.start, span.end, label=flag_id)
            for flag_id, labels in self.rules.evidence.items()
            for label in labels
            for span in by_label.get(label, [])
        ]
        for attribute, evidence in (
            ("red_flag_evidence", self.rules.evidence),
            ("red_flag_area_evidence", self.rules.area_evidence),
        ):
            doc._.set(
                attribute,
                [
                    Span(doc, span.start, span.end, label=flag_id)
                    for flag_id, labels in evidence.items()
                    for label in labels
                    for span in by_label.get(label, [])
                    if not self._is_negated(doc, span.start, span.end, cues, sentences[span.start], protected)
                ],
            )
        doc.spans[RED_FLAGS_KEY] = [candidate.span for candidate in kept]
        reassured = self._reassured_areas(doc, doc._.red_flag_area_evidence, by_label, sentences, hedges, protected)
        doc.spans[CONCERNS_KEY] = self._concerns(doc, by_label, sentences, cues, hedges, protected, reassured)
        doc.spans[REASSURED_KEY] = reassured
        return doc

    def _reassured_areas(
        self,
        doc: Doc,
        areas: Sequence[Span],
        by_label: Dict[str, List[Span]],
        sentences: List[Tuple[int, int]],
        hedges: Sequence[int],
        protected: Set[int],
    ) -> List[Span]:
        """Return the body-area mentions (labelled with their flag) that an all-clear covers.

        A one-word all-clear opening its sentence is a discourse marker, not a verdict
        on the area: "ok honest answer to your bladder question: I dunno".
        """
        reassurances = [
            (span.start, span.end)
            for span in by_label.get(REASSURANCE, [])
            if not (len(span) == 1 and span.start == sentences[span.start][0])
        ]
        return [
            span
            for span in areas
            if self._is_reassured(doc, span.start, span.end, reassurances, hedges, sentences[span.start], protected)
        ]

    def _own_verb_negations(
        self,
        doc: Doc,
        by_label: Dict[str, List[Span]],
        keeps: Sequence[Span],
        start: int,
        parts: Sequence[Span],
        matched_parts: Set[int],
    ) -> List[int]:
        """Negation cues that a ``keeps_negation`` phrase hid although they negate this mention's own verb.

        In "the pain doesn't go into my legs", "doesn't go" is also a phrase of lost
        bladder control, whose negation belongs to the symptom; but here it forms no
        symptom, and it runs into the mention, so its "not" negates the mention. A
        negation inside any symptom's own phrase ("can't control my bladder") stays
        protected.
        """
        foreign = [k for k in keeps if k.start < start <= k.end and not any(k == p for p in parts)]
        return [
            cue.start
            for cue in by_label.get(NEGATION, [])
            if cue.start not in matched_parts and any(k.start <= cue.start < k.end for k in foreign)
        ]

    def _concerns(
        self,
        doc: Doc,
        by_label: Dict[str, List[Span]],
        sentences: List[Tuple[int, int]],
        cues: Sequence[int],
        hedges: Sequence[int],
        protected: Set[int],
        reassured: Sequence[Span],
    ) -> List[Span]:
        """Return the area mentions of the ``concerns`` rules that are neither negated nor reassured.

        A mention inside a reassured area mention is reassured with it: the "wee" of
        "I can feel when I need a wee" lies in "need a wee", which the all-clear covers.
        """
        reassurances = [(span.start, span.end) for span in by_label.get(REASSURANCE, [])]
        concerns: List[Span] = []
        seen: Set[Tuple[str, int, int]] = set()
        for flag_id, rules in self.rules.concerns.items():
            for start, end, _ in self._rule_matches(rules, by_label, sentences):
                if (flag_id, start, end) in seen:
                    continue
                seen.add((flag_id, start, end))
                sentence = sentences[start]
                if self._is_negated(doc, start, end, cues, sentence, protected):
                    continue
                if self._is_reassured(doc, start, end, reassurances, hedges, sentence, protected):
                    continue
                if any(area.start <= start and end <= area.end for area in reassured):
                    continue
                concerns.append(Span(doc, start, end, label=flag_id))
        return sorted(concerns, key=lambda span: (span.start, span.end, span.label_))

    def _is_reassured(
        self,
        doc: Doc,
        start: int,
        end: int,
        reassurances: Sequence[Tuple[int, int]],
        hedges: Sequence[int],
        sentence: Tuple[int, int],
        protected: Set[int],
    ) -> bool:
        """Whether an all-clear in the clause of the mention ``start:end`` covers it.

        The all-clear may stand before or after the mention ("everything's normal down
        there", "my bladder is fine"), at most ``negation_window`` tokens away, with no
        clause boundary or comma between them. An all-clear in a question ("is it
        normal to need the loo more?") or after a hedge in its clause ("not sure my
        bladder is ok") reassures nothing: it is the concern itself.
        """
        if doc[sentence[1] - 1].text == "?":
            return False
        for cue, cue_end in reassurances:
            # An all-clear before the mention is measured from its last word, so that
            # "can feel when" is not cut from "I need to go" by its own "when".
            before = cue_end - 1 if cue < start else cue
            if not sentence[0] <= cue < sentence[1] or max(start - before, cue - end + 1) > self.negation_window:
                continue
            lo, hi = (before, start) if cue < start else (end - 1, cue)
            if any((_opens_clause(doc, i) and i not in protected) or doc[i].text == "," for i in range(lo + 1, hi)):
                continue
            clause_start = max(
                [sentence[0], *(i for i in range(sentence[0], cue) if _opens_clause(doc, i) or doc[i].text == ",")]
            )
            if any(clause_start <= hedge < cue for hedge in hedges):
                continue
            return True
        return False

    @staticmethod
    def _is_negation_cue(doc: Doc, span: Span, protected: Set[int]) -> bool:
        if span.start in protected:
            return False
        before_punct = span.end >= len(doc) or doc[span.end].is_punct
        # "No, I wet myself": a bare "no" before punctuation answers, it does not negate.
        if span.root.lower_ in STANDALONE_ANSWERS and before_punct:
            return False
        # "Except I haven't, all numb down there": the "not" denies a verb left out.
        elided = span.root.lower_ in NOT_WORDS and span.start > 0 and doc[span.start - 1].lower_ in ELLIPSIS_AUXILIARIES
        return not (elided and before_punct and span.end < len(doc))

    @staticmethod
    def _cue_phrases(by_label: Dict[str, List[Span]]) -> List[Span]:
        return [span for label in (HEDGE, PSEUDO_NEGATION, NOT_A_SYMPTOM) for span in by_label.get(label, [])]

    def _rule_matches(
        self, rules: Sequence[Tuple[str, ...]], by_label: Dict[str, List[Span]], sentences: List[Tuple[int, int]]
    ) -> Iterable[Tuple[int, int, Tuple[Span, ...]]]:
        """Yield (start, end, concept spans) for every way the rules are satisfied."""
        for rule in rules:
            if len(rule) == 1:
                for span in by_label.get(rule[0], []):
                    yield span.start, span.end, (span,)
                continue
            for first in by_label.get(rule[0], []):
                for second in by_label.get(rule[1], []):
                    overlaps = first.start < second.end and second.start < first.end
                    if overlaps or sentences[first.start] != sentences[second.start]:
                        continue
                    gap = max(first.start, second.start) - min(first.end, second.end)
                    if gap <= self.max_gap:
                        yield min(first.start, second.start), max(first.end, second.end), (first, second)

    @staticmethod
    def _sentence_matches(
        rules: Sequence[Tuple[str, ...]], by_label: Dict[str, List[Span]], sentences: List[Tuple[int, int]]
    ) -> Iterable[Tuple[int, int, Tuple[Span, ...]]]:
        """Yield (start, end, concept spans) for the two-concept rules that may span a sentence.

        Each span of the second concept pairs with the nearest span of the first in its
        sentence only, so that a long sentence dense with symptom words yields as many
        mentions as it has spans, not as many as it has pairs.
        """
        for first_label, second_label in rules:
            firsts = by_label.get(first_label, [])
            for second in by_label.get(second_label, []):
                candidates = [
                    first
                    for first in firsts
                    if sentences[first.start] == sentences[second.start]
                    and (first.end <= second.start or second.end <= first.start)
                ]
                if candidates:
                    first = min(candidates, key=lambda span: abs(span.start - second.start))
                    yield min(first.start, second.start), max(first.end, second.end), (first, second)

    @staticmethod
    def _hedges(
        doc: Doc, hedge: int, start: int, end: int, sentence: Tuple[int, int], is_last: bool, protected: Set[int]
    ) -> bool:
        """Whether the hedge cue at ``hedge`` makes the mention ``start:end`` uncertain.

        A hedge before the mention reaches it within its clause ("I think I might have
        wet myself"). A hedge after it ("..., I'm not sure") qualifies only the last
        mention of the sentence, because a hedge followed by a mention of its own
        ("I wet myself on Monday, maybe again today") belongs to that one.
        """
        if not sentence[0] <= hedge < sentence[1]:
            return False
        if start <= hedge < end:
            return True
        if hedge < start:
            return not any(_opens_clause(doc, i) and i not in protected for i in range(hedge + 1, start))
        return is_last

    def _negates_a_later_part(
        self, doc: Doc, start: int, parts: Sequence[Span], cues: Sequence[int], protected: Set[int]
    ) -> bool:
        """Whether a negation cue inside a two-concept mention negates its later concept.

        "I can feel everything when I wipe (sorry), no tingling": the "no" stands in a
        clause of its own inside the mention, and negates the tingling it opens.
        """
        for part in parts:
            if part.start <= start:
                continue
            for cue in cues:
                if (
                    start < cue < part.start
                    and part.start - cue <= self.negation_window
                    and not any(_opens_clause(doc, i) and i not in protected for i in range(cue + 1, part.start))
                ):
                    return True
        return False

    def _is_negated(
        self, doc: Doc, start: int, end: int, cues: Sequence[int], sentence: Tuple[int, int], protected: Set[int]
    ) -> bool:
        for cue in cues:
            if not (sentence[0] <= cue < end) or start - cue > self.negation_window:
                continue
            # The cue negates the mention only if no clause boundary separates them.
            lo, hi = (cue, start) if cue < start else (start, cue)
            if any(_opens_clause(doc, i) and i not in protected for i in range(lo + 1, hi)):
                continue
            # A cue inside the mention whose clause ends before the mention does is about
            # that clause: in "sex was not painful but I feel nothing" the "not" is the pain's.
            if cue > start and any(doc[i].lower_ in SCOPE_BREAKERS and i not in protected for i in range(cue + 1, end)):
                continue
            return True
        return False

    def _resolve(self, candidates: Sequence[RedFlagCandidate]) -> List[RedFlagCandidate]:
        """Keep the mentions that count: not negated, not overlapping the same flag, not subsumed."""
        ordered = sorted(
            (c for c in candidates if not c.negated),
            key=lambda c: (c.span.start, c.certainty != AFFIRMED, -(c.span.end - c.span.start)),
        )
        kept: List[RedFlagCandidate] = []
        for candidate in ordered:
            clash = any(
                k.flag_id == candidate.flag_id
                and k.span.start < candidate.span.end
                and candidate.span.start < k.span.end
                for k in kept
            )
            if not clash:
                kept.append(candidate)
        present = {c.flag_id for c in kept}
        return [c for c in kept if not set(self.rules.subsumed_by.get(c.flag_id, ())) & present]


@Language.factory(
    "red_flag_composer",
    default_config={"patterns_path": "patterns.yml", "max_gap": 10, "negation_window": 10},
)
def make_red_flag_composer(
    nlp: Language, name: str, patterns_path: str, max_gap: int, negation_window: int
) -> RedFlagComposer:
    """Create a ``RedFlagComposer`` (see its docstring)."""
    return RedFlagComposer(name, patterns_path, max_gap, negation_window)


# --- building ------------------------------------------------------------------------


def build_pipeline(
    config_path: Union[str, Path] = DEFAULT_CONFIG_PATH, overrides: Optional[Dict[str, Any]] = None
) -> Language:
    """Build and initialise the red-flag pipeline from its config file.

    Everything comes from installed packages (spaCy's English tokenizer rules and
    spacy-lookups-data); nothing is downloaded.

    Args:
        config_path: the pipeline's config file.
        overrides: config values to replace, by dotted path
            (``{"components.red_flag_context.scope": 8}``), as ``spacy.util.load_config`` takes them.
    """
    config = spacy.util.load_config(config_path, overrides=overrides or {})
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp
