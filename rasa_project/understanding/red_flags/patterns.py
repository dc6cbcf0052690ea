"""Reading the red-flag rule file and compiling its phrases into Matcher patterns.

The rule file (``patterns.yml``) is written in a compact phrase syntax that
is documented at its top. This module turns each phrase into a spaCy ``Matcher``
token pattern, and exposes the vocabulary the typo normaliser corrects towards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import AbstractSet, Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Set, Tuple

import yaml
from spacy.errors import Errors
from spacy.util import load_language_data, registry

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PATTERNS_PATH = PACKAGE_DIR / "patterns.yml"

NEGATION = "NEGATION"
HEDGE = "HEDGE"
PSEUDO_NEGATION = "PSEUDO_NEGATION"
NOT_A_SYMPTOM = "NOT_A_SYMPTOM"
#: Concept of an all-clear statement ("fine", "normal", "no problems"): it keeps a
#: mention of a body area from raising a concern.
REASSURANCE = "REASSURANCE"
MASK_ALL = "ALL"

#: Words a filler token (``_``) may never be: a filler must not swallow a negation
#: ("my foot does not drag" is not "my foot drags").
NEGATION_WORDS: Tuple[str, ...] = ("not", "no", "never", "n't", "nt", "without", "none", "nothing")

#: Entries of the lookup table that are wrong for this domain: "does" is looked up as
#: the noun "doe", so "my bladder doesn't empty" would never meet a "do not" phrase.
#: "number" is looked up as the comparative of "numb", which would read "number two"
#: as numbness.
LEMMA_CORRECTIONS: Mapping[str, str] = {"does": "do", "number": "number"}

TokenPattern = List[Dict[str, Any]]
FlagRule = Tuple[str, ...]


@dataclass(frozen=True)
class RedFlagRules:
    """The parsed rule file.

    concepts: concept label -> the phrases (in the rule-file syntax) that express it.
    flags: flag id -> rules; a rule is a tuple of one or two concept labels.
    subsumed_by: flag id -> flag ids that make it redundant in the same message.
    masks: concept label -> labels whose spans it discards when they lie strictly
        inside one of its spans (``"ALL"`` for every label).
    keeps_negation: concept labels whose negation words belong to the symptom and
        never negate another mention ("I couldn't hold it in and messed myself").
    contraction_typos: misspelt contraction -> the (word, negation) it stands for,
        e.g. ``"cnat" -> ("can", "not")``.
    known_words: words of the domain the typo normaliser leaves as written, although
        they are close to a rule word ("supination" is no "urination").
    evidence: flag id -> the concepts whose presence, in a context that counts, lets
        the learned classifier raise that flag on its own (see ``detector.py``).
    area_evidence: flag id -> the concepts of the flag's body area, which let the
        classifier raise it only at a stricter threshold.
    concerns: flag id -> rules, in the form of ``flags``, that find a mention of the
        body area or function the flag is about ("my bladder", "my legs feel odd"),
        whether or not the flag itself fires.
    sentence_flags: flag id -> two-concept rules whose concepts may stand anywhere in
        one sentence, however far apart ("sciatica in my left leg for weeks, but since
        yesterday it's in my right leg too").
    condition_flags: flag id -> rules ``(condition, event)``: a lasting condition of
        the person ("I'm 74", "osteoporosis") anywhere in the text makes the event ("I
        shoved the window") a mention of the flag, in whichever sentence each is told.
    dialect_words: word of a dialect or pidgin -> the standard English word it stands
        for ("masel" -> "myself", "tae" -> "to"), read as such by the typo normaliser.
    spoken_forms: words as voice dictation spells them, or words of another language,
        one or two words (lower-cased) -> the English words they stand for: as many
        words, read word by word ("a we" -> "a wee"), or one word, read as one token
        ("in continent" -> "incontinent").
    """

    concepts: Mapping[str, Tuple[str, ...]]
    flags: Mapping[str, Tuple[FlagRule, ...]]
    subsumed_by: Mapping[str, Tuple[str, ...]]
    masks: Mapping[str, FrozenSet[str]]
    keeps_negation: FrozenSet[str] = frozenset()
    contraction_typos: Mapping[str, Tuple[str, str]] = field(default_factory=dict)
    concerns: Mapping[str, Tuple[FlagRule, ...]] = field(default_factory=dict)
    known_words: FrozenSet[str] = frozenset()
    evidence: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    area_evidence: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    sentence_flags: Mapping[str, Tuple[FlagRule, ...]] = field(default_factory=dict)
    condition_flags: Mapping[str, Tuple[FlagRule, ...]] = field(default_factory=dict)
    dialect_words: Mapping[str, str] = field(default_factory=dict)
    spoken_forms: Mapping[Tuple[str, ...], Tuple[str, ...]] = field(default_factory=dict)

    def masked(self, outer: str, inner: str) -> bool:
        """Whether a span of concept ``inner`` nested in a span of ``outer`` is discarded."""
        masked = self.masks.get(outer, frozenset())
        return outer == inner or inner in masked or MASK_ALL in masked


def resolve_package_path(path: str | Path) -> Path:
    """Resolve a path from a pipeline config: relative paths are relative to this package."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else PACKAGE_DIR / candidate


#: libyaml's parser where PyYAML has it (its wheels do): the rule files are parsed at
#: every start-up, and it parses them about ten times faster than the pure-Python one.
_RULE_FILE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_rule_file(path: str | Path) -> Any:
    """Parse the YAML rule file at ``path`` (see :func:`resolve_package_path`) as ``yaml.safe_load`` would."""
    with open(resolve_package_path(path), encoding="utf8") as handle:
        return yaml.load(handle, Loader=_RULE_FILE_LOADER)


@lru_cache(maxsize=4)
def read_rules(path: str | Path = DEFAULT_PATTERNS_PATH) -> RedFlagRules:
    """Parse a rule file and check that every rule names a defined concept.

    Raises:
        ValueError: if a rule (of a flag or a concern) names an unknown concept or has
            more than two concepts (or, in ``sentence_flags`` and ``condition_flags``,
            not two), or a section other than ``flags`` names an unknown flag.
    """
    raw = read_rule_file(path)
    concepts = {label: tuple(str(p) for p in phrases) for label, phrases in raw["concepts"].items()}
    flags = {flag_id: _parse_flag_rules(flag_id, rules, concepts) for flag_id, rules in raw["flags"].items()}
    concerns = {
        flag_id: _parse_flag_rules(flag_id, rules, concepts) for flag_id, rules in (raw.get("concerns") or {}).items()
    }
    sentence_flags = {
        flag_id: _parse_flag_rules(flag_id, rules, concepts, pairs=True)
        for flag_id, rules in (raw.get("sentence_flags") or {}).items()
    }
    condition_flags = {
        flag_id: _parse_flag_rules(flag_id, rules, concepts, pairs=True)
        for flag_id, rules in (raw.get("condition_flags") or {}).items()
    }
    for section, rules_by_flag in (
        ("concerns", concerns),
        ("sentence_flags", sentence_flags),
        ("condition_flags", condition_flags),
    ):
        if set(rules_by_flag) - set(flags):
            raise ValueError(f"{section} for unknown flags: {sorted(set(rules_by_flag) - set(flags))}")
    subsumed_by = {flag: tuple(by) for flag, by in (raw.get("subsumed_by") or {}).items()}
    masks = {outer: frozenset(inner) for outer, inner in (raw.get("masks") or {}).items()}
    for outer, inner in masks.items():
        unknown = [label for label in (outer, *inner) if label not in concepts and label != MASK_ALL]
        if unknown:
            raise ValueError(f"Unknown concepts in masks: {unknown}")
    keeps_negation = frozenset(raw.get("keeps_negation") or ())
    if keeps_negation - set(concepts):
        raise ValueError(f"Unknown concepts in keeps_negation: {sorted(keeps_negation - set(concepts))}")
    contraction_typos: Dict[str, Tuple[str, str]] = {}
    for typo, parts in (raw.get("contraction_typos") or {}).items():
        if len(parts) != 2 or "".join(parts).lower() == str(typo).lower():
            raise ValueError(f"Invalid contraction typo {typo!r}: {parts!r}")
        contraction_typos[str(typo).lower()] = (str(parts[0]), str(parts[1]))
    return RedFlagRules(
        concepts=concepts,
        flags=flags,
        subsumed_by=subsumed_by,
        masks=masks,
        keeps_negation=keeps_negation,
        contraction_typos=contraction_typos,
        concerns=concerns,
        known_words=frozenset(str(word).lower() for word in raw.get("known_words") or ()),
        evidence=_parse_evidence(raw.get("evidence") or {}, concepts, flags),
        area_evidence=_parse_evidence(raw.get("area_evidence") or {}, concepts, flags),
        sentence_flags=sentence_flags,
        condition_flags=condition_flags,
        dialect_words={
            str(word).lower(): str(standard).lower() for word, standard in (raw.get("dialect_words") or {}).items()
        },
        spoken_forms=_parse_spoken_forms(raw.get("spoken_forms") or {}),
    )


def _parse_spoken_forms(raw: Mapping[str, str]) -> Dict[Tuple[str, ...], Tuple[str, ...]]:
    """Parse the ``spoken_forms`` section: one or two words -> one word or as many words."""
    forms: Dict[Tuple[str, ...], Tuple[str, ...]] = {}
    for key, value in raw.items():
        words, standard = tuple(str(key).lower().split()), tuple(str(value).lower().split())
        if not 1 <= len(words) <= 2 or len(standard) not in {1, len(words)} or words == standard:
            raise ValueError(f"Invalid spoken form {key!r}: {value!r}")
        forms[words] = standard
    return forms


def _parse_evidence(
    raw: Mapping[str, Sequence[str]], concepts: Mapping[str, Any], flags: Mapping[str, Any]
) -> Dict[str, FrozenSet[str]]:
    evidence = {str(flag): frozenset(str(label) for label in labels) for flag, labels in raw.items()}
    unknown = [label for labels in evidence.values() for label in labels if label not in concepts]
    if unknown or set(evidence) - set(flags):
        raise ValueError(f"Evidence names unknown concepts {unknown} or flags {sorted(set(evidence) - set(flags))}")
    return evidence


def _parse_flag_rules(
    flag_id: str, rules: Sequence[Sequence[str]], concepts: Mapping[str, Any], *, pairs: bool = False
) -> Tuple[FlagRule, ...]:
    parsed = tuple(tuple(rule) for rule in rules)
    for rule in parsed:
        unknown = [label for label in rule if label not in concepts]
        if unknown or not (2 if pairs else 1) <= len(rule) <= 2:
            raise ValueError(f"Invalid rule {rule!r} for flag {flag_id!r}: unknown {unknown}")
    return parsed


@lru_cache(maxsize=1)
def english_lemma_table() -> Dict[str, str]:
    """Return the English ``lemma_lookup`` table of spacy-lookups-data as a dict.

    Loaded once per process; it is read-only afterwards.
    """
    # Read the raw table rather than a spaCy ``Table``: a ``Table`` keeps only the hashes
    # of its keys, and the typo normaliser needs the words themselves.
    if "en" not in registry.lookups:
        raise ValueError(Errors.E955.format(table="lemma_lookup", lang="en"))
    table = dict(load_language_data(registry.lookups.get("en")["lemma_lookup"]))
    table.update(LEMMA_CORRECTIONS)
    return table


#: Words that set one clause against another. A filler never stands for one, so a phrase
#: does not run across a contrast ("idk if it's related but ever since ..." is no
#: "if ... ever"); they also end a negation's scope (the pipeline's ``SCOPE_BREAKERS``).
CONTRAST_WORDS = frozenset({"but", "however", "although"})
#: What a filler (``_``) in a phrase may not be: a negation or a contrast.
_NOT_FILLERS = [*NEGATION_WORDS, *sorted(CONTRAST_WORDS)]


def lemma_of(word: str, table: Mapping[str, str]) -> str:
    """Return the lookup lemma of a lower-cased word (the word itself when unknown)."""
    return table.get(word, word)


def _compile_token(token: str, table: Mapping[str, str]) -> Dict[str, Any]:
    optional = token.endswith("?") and len(token) > 1
    if optional:
        token = token[:-1]
    spec: Dict[str, Any]
    if token == "_" or token.startswith("_!"):
        # "_!funny|odd": a filler that is none of the words listed either.
        excluded = [*_NOT_FILLERS, *(word for word in token[2:].split("|") if word)]
        spec = {"IS_PUNCT": False, "IS_SPACE": False, "LOWER": {"NOT_IN": excluded}}
        spec["NORM"] = {"NOT_IN": excluded}
        optional = True
    elif token == "<num>":
        spec = {"LIKE_NUM": True}
    elif "<num>" in token.split("|") or "_" in token.split("|"):
        raise ValueError(f"<num> and _ cannot be alternatives: {token!r}")
    else:
        exact = [alt[1:] for alt in token.split("|") if alt.startswith("=")]
        lemmas = [alt for alt in token.split("|") if alt and not alt.startswith("=")]
        if exact and lemmas:
            raise ValueError(f"Mix of exact and lemma alternatives in {token!r}")
        if exact:
            spec = {"LOWER": {"IN": exact}}
        else:
            spec = {"LEMMA": {"IN": sorted({*lemmas, *(lemma_of(w, table) for w in lemmas)})}}
    if optional:
        spec["OP"] = "?"
    return spec


def compile_phrase(phrase: str, table: Mapping[str, str]) -> TokenPattern:
    """Compile one phrase of the rule-file syntax into a Matcher token pattern.

    phrase: the phrase, e.g. ``"can not|cannot feel _? when"``.
    table: the lemma lookup table used to lemmatise the phrase's words, so that the
        pattern compares like with like against the pipeline's token lemmas.
    RETURNS: the token pattern (a list of token specifications).
    """
    tokens = phrase.lower().split()
    if not tokens:
        raise ValueError("Empty phrase")
    try:
        return [_compile_token(token, table) for token in tokens]
    except ValueError as error:
        raise ValueError(f"{error} (in the phrase {phrase!r})") from error


def concept_vocabulary(rules: RedFlagRules, table: Mapping[str, str]) -> FrozenSet[str]:
    """Return the words worth correcting a misspelling towards.

    These are the alphabetic words of the concept phrases, plus every inflected form
    the lemma table maps onto one of them ("bowels" for "bowel"), so a typo is
    corrected to the closest real surface form.
    """
    words = set()
    for phrases in rules.concepts.values():
        for phrase in phrases:
            for token in phrase.lower().split():
                # The words a filler may not be are no words the phrase looks for.
                if token.startswith("_!"):
                    continue
                for alt in token.rstrip("?").split("|"):
                    # An exact form is matched as written, so it is no target for
                    # corrections: "=bowl" must not pull "bowles" away from "bowels".
                    if alt.startswith("="):
                        continue
                    if alt.isalpha() and len(alt) >= 4:
                        words.add(alt)
    lemmas = {lemma_of(word, table) for word in words}
    inflections = {form for form, lemma in table.items() if lemma in lemmas and form.isalpha()}
    return frozenset(words | lemmas | inflections)


def english_word_log_probabilities() -> Dict[str, float]:
    """Return the English ``lexeme_prob`` table of spacy-lookups-data (word -> log prob).

    Not cached: it is large and only needed while the matcher is built.
    """
    if "en" not in registry.lookups:
        raise ValueError(Errors.E955.format(table="lexeme_prob", lang="en"))
    return dict(load_language_data(registry.lookups.get("en")["lexeme_prob"]))


#: Log probability given to a word the probability table does not know: such words
#: are rare, which is what makes them good keys.
UNKNOWN_WORD_LOG_PROB = -20.0


def required_token_words(phrase: str, table: Mapping[str, str]) -> Tuple[FrozenSet[str], ...]:
    """Return, for each required token of ``phrase``, the words a matching token has.

    A token matches by lemma, so its words are each alternative and its lookup lemma;
    an exact-form alternative (``=legs``) is its own only word. Optional tokens,
    fillers (``_``, ``_!a|b``) and ``<num>`` are left out.

    Raises:
        ValueError: if the phrase has no required word.
    """
    required = [
        t for t in phrase.lower().split() if not t.endswith("?") and t not in ("_", "<num>") and not t.startswith("_!")
    ]
    if not required:
        raise ValueError(f"Phrase {phrase!r} has no required word")
    return tuple(
        frozenset(
            word
            for alt in token.split("|")
            for word in ((alt[1:],) if alt.startswith("=") else (alt, lemma_of(alt, table)))
        )
        for token in required
    )


class ConceptTriggers:
    """Which concepts a sentence may contain, judged from its words alone.

    A phrase can only match a sentence that has a word of each of its required
    tokens. Each phrase is filed under its rarest required token ("injured" rather
    than "work" in "injured at work"), so a sentence only has the few phrases filed
    under its own words checked. This lets the matcher skip the many sentences of a
    long message in which no rule can fire.
    """

    def __init__(
        self, rules: RedFlagRules, table: Mapping[str, str], log_probs: Optional[Mapping[str, float]] = None
    ) -> None:
        """Index the phrases of ``rules``.

        log_probs: word -> log probability in English, to find each phrase's rarest
            token; without it, the token with the fewest alternatives is used.
        """

        def rarity(words: FrozenSet[str]) -> float:
            if log_probs is None:
                return float(len(words))
            # A sentence contains one of the words about as often as the sum of their probabilities.
            return sum(math.exp(log_probs.get(word, UNKNOWN_WORD_LOG_PROB)) for word in words)

        self._by_word: Dict[str, List[Tuple[str, Tuple[FrozenSet[str], ...]]]] = {}
        for label, phrases in rules.concepts.items():
            for phrase in phrases:
                tokens = required_token_words(phrase, table)
                key = min(tokens, key=rarity)
                rest = tuple(words for words in tokens if words is not key)
                for word in key:
                    self._by_word.setdefault(word, []).append((label, rest))

    def concepts_in(self, words: AbstractSet[str]) -> Set[str]:
        """Return the labels of the concepts whose phrases may match a sentence.

        words: the sentence's lower-cased token texts and lemmas.
        """
        present: Set[str] = set()
        for word in words:
            for label, rest in self._by_word.get(word, ()):
                if label not in present and all(not alternatives.isdisjoint(words) for alternatives in rest):
                    present.add(label)
        return present


def split_first_token(pattern: TokenPattern) -> List[TokenPattern]:
    """Split a pattern whose first token has a set of alternatives into one pattern each.

    The Matcher tests a pattern's first token at every position of the text, and an
    ``IN`` set is tested in Python while a single value is tested in C. Splitting the
    first token makes matching several times faster; later tokens are tested only
    after a partial match, where the sets cost little.
    """
    first = pattern[0]
    if "OP" in first or len(first) != 1:
        return [pattern]
    ((attr, value),) = first.items()
    if not isinstance(value, dict) or set(value) != {"IN"}:
        return [pattern]
    return [[{attr: alternative}, *pattern[1:]] for alternative in value["IN"]]


def phrase_patterns(rules: RedFlagRules, table: Mapping[str, str]) -> Sequence[Tuple[str, TokenPattern]]:
    """Compile every concept phrase: a sequence of (concept label, token pattern)."""
    return [
        (label, pattern)
        for label, phrases in rules.concepts.items()
        for phrase in phrases
        for pattern in split_first_token(compile_phrase(phrase, table))
    ]
