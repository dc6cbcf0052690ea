"""The context of a red-flag mention, after ConText: whether it is the person's symptom now.

Clinical NLP separates finding a symptom from its context. medspaCy's ConText is the
reference algorithm: cue phrases of a category (negated, historical, hypothetical,
family, possible) reach the mentions within their scope, in their direction, until a
terminating word. medspaCy itself imports QuickUMLS and its compiled dependencies
at package import, about a dozen packages for this one algorithm, so the same rules
are built here, on the rule syntax the detector already uses (``context.yml``).

The concept rules find a mention; the composer (``pipeline.py``) drops negated ones
and marks uncertain ones, because negation words are so often part of the symptom
("I can't control my bladder"). This component then gives each remaining mention one
of three outcomes:

``counts``
    the person's red flag now, affirmed or uncertain.
``set_aside`` (with the reason)
    someone else's (``other_person``), a question or hypothetical (``hypothetical``),
    clearly past and over (``past``), a figure of speech (``figurative``), or weight
    lost on purpose and no more than meant (``explained``): not the person's red flag
    now. The assistant answers it as a question, naming the signs.
``ask`` (with the reason)
    may be the person's red flag: an everyday cause is given (``ordinary_cause``), it
    nearly happened (``counterfactual``), it is conditional (``conditional``), weight
    was lost on a diet or a weight-loss drug (``explained``), or it is leaking on
    coughing or laughing (``stress_leak``), which is common and not by itself a red
    flag unless it is new. The assistant asks one direct question.

A fall or knock in a message that says the back is unhurt ("Back's totally fine") is
set aside (``unhurt``): those flags are about back pain that the event caused.

The person saying the symptom is theirs ("Is it serious if my private area feels
numb? Because mine does") outweighs a question, a supposition or an "if". A lasting
state (``lasting_concepts`` of ``context.yml``: a cancer, a transplant, fragile bones)
is never over because its date is past; a symptom travelling down the leg
(``travelling_concepts``) has no everyday cause. A mention that rests on a condition
told elsewhere ("I'm 74. I shoved the window") counts only when the condition is in a
context that counts too.

Results: ``doc.spans["red_flags"]`` keeps only the mentions that count;
``doc._.red_flag_contexts`` maps every mention (span start, end, flag id) to its
:class:`MentionContext`; concerns (``doc.spans["red_flag_concerns"]``) in a set-aside
context are dropped.
"""

# No ``from __future__ import annotations``: spaCy reads the factory signature at run time.
from dataclasses import dataclass
from itertools import pairwise
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel, red_flag_level
from rasa_project.understanding.red_flags.patterns import (
    compile_phrase,
    english_lemma_table,
    read_rule_file,
    split_first_token,
)

COUNTS = "counts"
SET_ASIDE = "set_aside"
ASK = "ask"

OTHER_PERSON = "other_person"
HYPOTHETICAL = "hypothetical"
PAST = "past"
FIGURATIVE = "figurative"
ORDINARY_CAUSE = "ordinary_cause"
COUNTERFACTUAL = "counterfactual"
CONDITIONAL = "conditional"
STRESS_LEAK = "stress_leak"
LONG_STANDING = "long_standing"
EXPLAINED = "explained"
UNHURT = "unhurt"

#: Flags whose mentions an everyday cause ("in tight boots", "after the marathon") makes
#: a question rather than a finding: numb feet, legs and seats have ordinary causes.
ORDINARY_CAUSE_FLAGS = frozenset(
    {"bilateral_or_progressive_leg_symptoms", "radiating_leg_symptoms", "saddle_anaesthesia"}
)
#: Flags an event long past does not raise now ("a fall on the ice 10 years ago"). A
#: cancer, however long ago, is a red flag with new back pain (spec section 2).
LONG_AGO_FLAGS = frozenset(
    {
        "significant_trauma",
        "infection_risk",
        "radiating_leg_symptoms",
        "systemic_symptoms",
        "severe_night_pain",
        "fracture_risk",
    }
)
#: Flags whose signs, known and unchanged for long ("my GP knows, it's not changed"),
#: are asked about rather than escalated. Pain down one leg that has not changed is
#: what the urgent radiating flag is; the other urgent flags do not fade with time.
LONG_STANDING_FLAGS = frozenset(
    {"bladder_bowel_dysfunction", "saddle_anaesthesia", "bilateral_or_progressive_leg_symptoms"}
)
#: Flags of back pain caused by an event: a fall told with "my back's fine" is no red flag.
EVENT_FLAGS = frozenset({"significant_trauma", "fracture_risk"})
#: "Ten years ago" dates only the event it is said with.
LONG_AGO_SCOPE = 8
#: How far a cue of recovery reaches: it closes the story it is told with, often after
#: where and how the symptom came ("my bum went numb on the hard bleachers watching the
#: match for 3 hours, fine as soon as I walked about").
RESOLVED_SCOPE = 20
#: How far into the next sentence a cue of passing may open it and still tell of the
#: sentence before ("Back to normal when I come out.").
TRANSIENT_OPENING = 4
#: An everyday cause explains a numb foot only when it is said close to it.
ORDINARY_CAUSE_SCOPE = 10
#: Most words between two mentions of one flag that tell of the same event.
SAME_EVENT_GAP = 1
#: Longest lead-in before a comma after which a sentence's question or supposition opens.
LEAD_IN_WORDS = 5
#: What follows a verb that opens a statement whose subject "I" was left out ("cant feel my feet").
NEGATED_VERB_ENDINGS = frozenset({"not", "n't", "nt"})
#: Most words between an onset ("it started") and the everyday cause it dates.
ONSET_REACH = 2
BLADDER_BOWEL = "bladder_bowel_dysfunction"
SADDLE_ANAESTHESIA = "saddle_anaesthesia"
#: Concepts of the symptom rules (patterns.yml) that mark leaking on coughing or laughing.
STRESS_LEAK_CONCEPTS = frozenset({"STRESS_LEAK", "LEAK_ON_EFFORT"})
#: Concepts of patterns.yml for weight lost, which a diet or weight-loss drug explains
#: (spec section 2: only unexplained weight loss is a red flag).
WEIGHT_LOSS_CONCEPTS = frozenset({"WEIGHT_LOSS"})
SYSTEMIC_SYMPTOMS = "systemic_symptoms"
#: Words that open an answer no to one's own question, and the words after them that
#: put the sign down to something else ("no its just the duvet").
SELF_ANSWER_NO = frozenset({"no", "nope", "nah", "naw"})
EXPLAINING_WORDS = frozenset({"just", "only", "merely"})
#: Words a bare self-asked question may have besides the sign: "any numbness down there?".
QUESTION_FILLERS = frozenset({"any", "some"})
#: Words after "no" that make it no answer: "no idea, just started".
NOT_AN_ANSWER = frozenset({"idea", "clue", "way", "joke", "kidding", "lie"})
#: Most words of the answer read for its explanation ("no it's just", "nah i think it's only").
SELF_ANSWER_REACH = 6
#: Words of sweating, which heat explains ("I sweat buckets on shift, no aircon"), and
#: words of a fever or chills, which it does not: a sentence with one of those is read
#: as it stands.
SWEAT_WORDS = frozenset({"sweat", "sweats", "sweating", "sweated", "sweaty", "drenched", "soaked", "clammy"})
FEVER_WORDS = frozenset(
    {"fever", "fevers", "feverish", "temperature", "temp", "chill", "chills", "shiver", "shivers", "shivery", "rigors"}
)
#: Words that tell the mention after them as the cause of a symptom told before it:
#: "couldn't feel to wee because of the epidural, but it sorted itself out" dates the
#: numbness, and the epidural is its cause, not another symptom between them.
#: "From the" too: "a numb bum from the epidural" tells what the numbness came from.
CAUSE_OPENERS = frozenset(
    {
        ("because", "of"),
        ("due", "to"),
        ("caused", "by"),
        ("thanks", "to"),
        ("from", "the"),
        ("from", "an"),
        ("from", "a"),
        # What a treatment was for: "a spinal injection for the sciatica four years ago".
        ("for", "the"),
        ("for", "my"),
        # What the symptom followed: "numb down there for a few days after the epidural,
        # but that was 6 years ago".
        ("after", "the"),
        ("after", "my"),
        ("after", "an"),
        ("after", "a"),
    }
)
#: Most words between a cause opener and the mention it opens ("because of the epidural").
CAUSE_OPENER_REACH = 2
#: Words that deny the cue after them, and how far before it they reach: "without
#: dieting", "haven't been trying to lose", "not on any weight loss drugs".
DENIALS = frozenset({"not", "no", "never", "without", "nothing", "n't"})
DENIAL_REACH = 4
CLAUSE_BREAKS = frozenset({",", ";", ":", "-", "–", "—", "(", ")"})
#: Words that end a cue's reach back to a mention before it: "my legs are numb, it
#: went away but now it's back". A contrast word does not: "I fell as a teenager but
#: my back was fine after" is over.
BACKWARD_TERMINATORS = frozenset({"today", "tonight", "still", "again", "currently"})
#: Verbs whose subject noticed or asked about a symptom rather than had it.
OBSERVING = frozenset({"spotted", "noticed", "saw", "found", "asked", "pointed", "smelt", "smelled", "mentioned"})
#: Words that make an exception to what a sentence says of a whole list.
EXCEPTIONS = frozenset({"except", "apart", "besides", "bar", "other", "only", "just", "still"})
#: "and" followed by one of these opens a clause of its own, whose cue is about its
#: own subject: in "my dick is numb and my back is wrecked from the gym" the gym is
#: the back's cause, not the numbness's.
NEW_SUBJECT_AFTER_AND = frozenset({"my", "i", "i'm", "im", "i've", "ive"})
#: Words that open a sentence about what the sentence before it told.
REFERRING_BACK = frozenset({"that", "this", "it", "which"})
#: Words that open an occasion told before what happened on it, and how far before the mention.
OCCASION_OPENERS = frozenset({"after", "following"})
OCCASION_REACH = 3
#: Verbs that ask in the main clause after an "if": "if I got a fever would that change anything".
QUESTION_MODALS = frozenset({"would", "should", "will", "could", "can", "is", "does", "do"})
#: Auxiliaries of a present perfect, which tells of now: "if I've got numbness".
PERFECT_AUXILIARIES = frozenset({"'ve", "ve", "have", "has", "'s"})
#: Words of a sentence told in the past: a recovery told in the next sentence ("The
#: physio sorted it out and it's completely gone") ends only a symptom told as past.
PAST_TENSE_WORDS = frozenset({"had", "was", "were", "went", "got", "felt", "did", "'d", "gave"})
#: Words of a recovery told as what happens each time, not as over: "it goes away when
#: I lie down" is a symptom that comes and goes.
HABITUAL_WORDS = frozenset({"go", "goes", "stop", "stops", "ease", "eases", "settle", "settles", "clears", "wears"})
#: Words after a recovery that make it conditional on what the person does: "gone once I stand".
RELIEF_CONDITIONS = frozenset({"when", "whenever", "if", "once", "as", "while", "after"})
#: Verbs of "and I think ...", which open the person's own report of what follows.
OWN_REPORT_VERBS = frozenset({"think", "reckon", "guess", "suspect", "believe", "notice", "noticed", "feel"})

if not Doc.has_extension("red_flag_contexts"):
    Doc.set_extension("red_flag_contexts", default=None)
#: Flags whose body area the message names only with what explains it (see
#: ``RedFlagContext._concern_stands``).
if not Doc.has_extension("red_flag_explained_areas"):
    Doc.set_extension("red_flag_explained_areas", default=None)
#: Flags whose body area the message names only in an everyday act ("I had a wee before
#: I came out"): nothing in it may raise the flag.
if not Doc.has_extension("red_flag_everyday_areas"):
    Doc.set_extension("red_flag_everyday_areas", default=None)


@dataclass(frozen=True)
class MentionContext:
    """The outcome of one mention: ``counts``, ``set_aside`` or ``ask``, and why."""

    outcome: str
    reason: Optional[str] = None


MentionKey = Tuple[int, int, str]


@dataclass(frozen=True)
class ContextRules:
    """The parsed context file: cue phrases by category, terminators, concept groups."""

    cues: Dict[str, Tuple[str, ...]]
    terminators: FrozenSet[str]
    #: Concepts of a lasting state of the person, never over because a date is past.
    lasting_concepts: FrozenSet[str] = frozenset()
    #: Concepts of a symptom travelling down the leg, which no everyday cause explains.
    travelling_concepts: FrozenSet[str] = frozenset()


def read_context_rules(path: str) -> ContextRules:
    """Read the cue phrases by category, the terminating words and the concept groups of ``context.yml``."""
    raw = read_rule_file(path)
    return ContextRules(
        cues={label: tuple(str(phrase) for phrase in phrases) for label, phrases in raw["cues"].items()},
        terminators=frozenset(str(word) for word in raw.get("terminators") or ()),
        lasting_concepts=frozenset(str(label) for label in raw.get("lasting_concepts") or ()),
        travelling_concepts=frozenset(str(label) for label in raw.get("travelling_concepts") or ()),
    )


class RedFlagContext:
    """Give each red-flag mention its context outcome (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, context_path: str, scope: int, validate_patterns: bool = True) -> None:
        self.name = name
        self.context_path = context_path
        self.scope = scope
        self.matcher = Matcher(nlp.vocab, validate=validate_patterns)
        self.terminators: FrozenSet[str] = frozenset()
        self.lasting_concepts: FrozenSet[str] = frozenset()
        self.travelling_concepts: FrozenSet[str] = frozenset()
        self._mentions: List[Span] = []
        self._denied: List[Span] = []

    def initialize(self, get_examples: Optional[Callable] = None, *, nlp: Optional[Language] = None) -> None:
        """Compile the cue phrases of the context file."""
        rules = read_context_rules(self.context_path)
        self.terminators = rules.terminators
        self.lasting_concepts = rules.lasting_concepts
        self.travelling_concepts = rules.travelling_concepts
        table = english_lemma_table()
        for label, phrases in rules.cues.items():
            self.matcher.add(
                label, [pattern for phrase in phrases for pattern in split_first_token(compile_phrase(phrase, table))]
            )

    def __call__(self, doc: Doc) -> Doc:
        """Set the context of each mention; keep only the mentions that count as red flags."""
        mentions = list(doc.spans.get("red_flags", ()))
        concerns = list(doc.spans.get("red_flag_concerns", ()))
        contexts: Dict[MentionKey, MentionContext] = {}
        if not mentions and not concerns and not doc._.red_flag_evidence and not doc._.red_flag_area_evidence:
            doc._.red_flag_contexts = contexts
            return doc
        cues = self._cues(doc)
        # Only a few concepts matter to a context; filtering them once keeps a message
        # dense with symptom words linear rather than quadratic.
        wanted = {*STRESS_LEAK_CONCEPTS, *WEIGHT_LOSS_CONCEPTS, *self.lasting_concepts, *self.travelling_concepts}
        concepts = [c for c in doc.spans.get("clinical_concepts", ()) if c.label_ in wanted]
        self._mentions = [candidate.span for candidate in doc._.red_flag_candidates or []]
        # The flags' evidence the composer read negated ("nothing down the leg"): told, but not as there.
        not_negated = {_key(span) for span in doc._.red_flag_evidence or []}
        self._denied = [span for span in doc._.red_flag_evidence_told or [] if _key(span) not in not_negated]
        conditions = doc._.red_flag_conditions or {}
        known: Dict[MentionKey, MentionContext] = {}

        def context(span: Span) -> MentionContext:
            key = _key(span)
            if key not in known:
                known[key] = self.context_of(doc, span, cues, concepts)
                condition = conditions.get(key)
                if condition is not None and known[key].outcome != SET_ASIDE:
                    # The event counts only if the condition it rests on is the person's, now.
                    of_condition = self.context_of(
                        doc, Span(doc, condition.start, condition.end, label=span.label_), cues, concepts
                    )
                    if of_condition.outcome != COUNTS:
                        known[key] = of_condition
            return known[key]

        for span in mentions:
            contexts[_key(span)] = context(span)
        for attribute in ("red_flag_evidence", "red_flag_area_evidence"):
            doc._.set(attribute, [span for span in doc._.get(attribute) or [] if context(span).outcome == COUNTS])
        doc.spans["red_flags"] = [span for span in mentions if contexts[_key(span)].outcome == COUNTS]
        standing = [span for span in concerns if self._concern_stands(doc, span, context(span), cues)]
        doc._.red_flag_explained_areas = {
            span.label_ for span in concerns if context(span).outcome != SET_ASIDE and span not in standing
        }
        doc._.red_flag_everyday_areas = {span.label_ for span in concerns if self._toilet_trip(span, cues)}
        doc.spans["red_flag_concerns"] = standing
        doc._.red_flag_contexts = contexts
        return doc

    @staticmethod
    def _concern_stands(doc: Doc, span: Span, context: MentionContext, cues: Dict[str, List[Span]]) -> bool:
        """Whether a bare mention of an emergency flag's body area is still worth a question.

        Not when set aside, nor when it is told only with its everyday cause ("my bum
        aches from the hard plastic chairs", "both legs swell by the end of a shift"):
        an area with nothing wrong said of it but that cause is the cause's. Nor a
        bladder named only as going often, with pregnancy or plenty to drink said in the
        message ("36 weeks and up three times a night to pee, the baby's on my
        bladder"). Nor a toilet visit told as a step in the day ("I had a wee before I
        came out"). A change in the area itself ("feels numb", "can't hold it") is a
        mention of its own, with a context of its own.
        """
        if context.outcome == SET_ASIDE:
            return False
        if context.outcome == ASK and context.reason == ORDINARY_CAUSE:
            return False
        if RedFlagContext._toilet_trip(span, cues):
            return False
        if span.label_ != BLADDER_BOWEL or not cues.get("FREQUENCY_CAUSE"):
            return True
        sentence = span.sent if doc.has_annotation("SENT_START") else doc[:]
        return not any(sentence.start <= cue.start < sentence.end for cue in cues.get("FREQUENT_VOIDING", []))

    @staticmethod
    def _toilet_trip(span: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether a bladder mention lies in a toilet visit told as a step in the day."""
        return span.label_ == BLADDER_BOWEL and any(
            cue.start <= span.start and span.end <= cue.end for cue in cues.get("TOILET_TRIP", [])
        )

    def _cues(self, doc: Doc) -> Dict[str, List[Span]]:
        found: Dict[str, List[Span]] = {}
        for match_id, start, end in self.matcher(doc):
            found.setdefault(doc.vocab.strings[match_id], []).append(Span(doc, start, end))
        # A cue inside a longer pseudo phrase ("changed" in "not changed") is not that cue.
        pseudo: Dict[int, List[Span]] = {}
        for phrase in found.pop("PSEUDO", []):
            for token in range(phrase.start, phrase.end):
                pseudo.setdefault(token, []).append(phrase)
        kept = {
            label: [
                cue
                for cue in spans
                if not any(
                    p.start <= cue.start and cue.end <= p.end and len(cue) < len(p) for p in pseudo.get(cue.start, ())
                )
            ]
            for label, spans in found.items()
        }
        # An injury or an onset told with "went" ("since my disc went a week ago", "my legs
        # went numb two days ago") is no ending: a resolution holding that verb is not one.
        verbs = {
            token.i
            for phrase in kept.pop("GIVING_OUT", [])
            for token in phrase
            if token.lower_ in {"went", "gone", "go", "goes", "going"}
        }
        if verbs and "RESOLVED" in kept:
            kept["RESOLVED"] = [cue for cue in kept["RESOLVED"] if not verbs.intersection(range(cue.start, cue.end))]
        return kept

    def context_of(self, doc: Doc, span: Span, cues: Dict[str, List[Span]], concepts: Sequence[Span]) -> MentionContext:
        """Return the context outcome of one mention span.

        concepts: the concept spans of the doc that contexts read (stress leaks, lasting
            states, symptoms travelling down the leg).
        """
        sentence = span.sent if doc.has_annotation("SENT_START") else doc[:]
        flag = span.label_

        def in_sentence(label: str) -> List[Span]:
            return [cue for cue in cues.get(label, []) if sentence.start <= cue.start < sentence.end]

        if self._someone_else(span, sentence, cues):
            return MentionContext(SET_ASIDE, OTHER_PERSON)
        if flag in EVENT_FLAGS and cues.get("BACK_UNHURT"):
            return MentionContext(SET_ASIDE, UNHURT)
        inside = [c.label_ for c in concepts if span.start <= c.start and c.end <= span.end]
        lasting = any(label in self.lasting_concepts for label in inside)
        # "Is it serious if my private area feels numb? Because mine does": the person
        # says the symptom in the question is theirs. A diagnosis they tell of makes a
        # lasting condition in their question theirs ("could it be the cancer spreading?
        # I was diagnosed last year"), and no other symptom.
        claimed = bool(self._claims(flag, cues)) or (lasting and bool(cues.get("OWN_DIAGNOSIS")))
        if not claimed and self._reached(doc, span, in_sentence("HEARSAY"), both_ways=False):
            return MentionContext(SET_ASIDE, HYPOTHETICAL)
        # Words a document uses, named as words: "the leaflet has words like retention".
        if (
            not claimed
            and in_sentence("DOCUMENT")
            and self._reached(doc, span, in_sentence("NAMED_WORD"), both_ways=False)
        ):
            return MentionContext(SET_ASIDE, HYPOTHETICAL)
        if not claimed and self._hypothetical(doc, span, sentence, cues):
            return MentionContext(SET_ASIDE, HYPOTHETICAL)
        stress_leak = flag == BLADDER_BOWEL and any(
            c.label_ in STRESS_LEAK_CONCEPTS and sentence.start <= c.start < sentence.end for c in concepts
        )
        # "Nearly" just before the mention or inside it ("laughed so hard I nearly peed").
        counterfactual = flag == BLADDER_BOWEL and any(
            0 <= span.start - cue.end <= 2 or span.start <= cue.start < span.end
            for cue in in_sentence("COUNTERFACTUAL")
        )
        if in_sentence("FIGURATIVE") and (counterfactual or not stress_leak):
            return MentionContext(SET_ASIDE, FIGURATIVE)
        if counterfactual and in_sentence("EMOTION"):
            return MentionContext(SET_ASIDE, FIGURATIVE)
        # "Whenever I cough a bit of wee comes out. That never happened before my back
        # went": the newness is often told in the sentence after the leak.
        newly = bool(in_sentence("NEWLY")) or (stress_leak and self._in_next_sentence(doc, sentence, cues, "NEWLY"))
        # Leaking "without coughing or anything, just walking" is no stress leak.
        stress_leak = stress_leak and not in_sentence("UNPROVOKED")
        ongoing = bool(in_sentence("ONGOING"))
        # A cancer that was treated, or "all clear", is still a history of cancer (spec
        # section 2); a transplant years ago means anti-rejection drugs now.
        if lasting:
            ongoing = True
        # A leak on coughing that the person says is unchanged has answered the question
        # whether it is new (spec section 2); often told in the sentence after it.
        unchanged = bool(in_sentence("UNCHANGED")) or self._in_next_sentence(
            doc, sentence, cues, "UNCHANGED", referring=False
        )
        if stress_leak and not newly and unchanged:
            return MentionContext(SET_ASIDE, LONG_STANDING)
        if not ongoing and self._reached(doc, span, in_sentence("RESOLVED"), both_ways=True, scope=RESOLVED_SCOPE):
            return MentionContext(SET_ASIDE, PAST)
        long_ago = self._reached(
            doc, span, in_sentence("LONG_AGO"), both_ways=True, scope=LONG_AGO_SCOPE
        ) or self._dated_in_next_sentence(doc, sentence, cues)
        if not ongoing and long_ago:
            # An emergency sign long ago is asked about rather than set aside: it may be
            # back. Not when the person says, after it, that it is over ("that was 12
            # years ago and it all came back normal"): dated and over, it is told as past.
            over = any(cue.start >= span.end for cue in cues.get("RESOLVED", []))
            return MentionContext(SET_ASIDE if flag in LONG_AGO_FLAGS or over else ASK, PAST)
        # Told as past, and over in the sentence after (a date long ago is read above).
        if not ongoing and self._resolved_in_next_sentence(doc, span, sentence, cues):
            # An emergency sign may be back however it ended: it is asked about.
            emergency = flag in RED_FLAG_CATALOGUE and red_flag_level(flag) is TriageLevel.EMERGENCY
            return MentionContext(ASK if emergency else SET_ASIDE, PAST)
        if stress_leak and not newly:
            return MentionContext(ASK, STRESS_LEAK)
        if flag in LONG_STANDING_FLAGS and not newly and not ongoing and in_sentence("LONG_STANDING"):
            return MentionContext(ASK, LONG_STANDING)
        if counterfactual:
            return MentionContext(ASK, COUNTERFACTUAL)
        # Weight lost on a diet or a weight-loss drug is explained; whether it is more
        # than that explains is asked. Only a mention that is nothing but weight lost.
        weight_only = bool(inside) and all(label in WEIGHT_LOSS_CONCEPTS for label in inside)
        intended = any(not _denied(doc, cue, sentence) for cue in in_sentence("WEIGHT_LOSS_INTENDED"))
        # Lost on purpose is the whole of it, unless more went than was meant.
        if weight_only and intended and not in_sentence("WEIGHT_LOSS_EXCESS"):
            return MentionContext(SET_ASIDE, EXPLAINED)
        if weight_only and (
            intended or any(not _denied(doc, cue, sentence) for cue in in_sentence("WEIGHT_LOSS_MEANS"))
        ):
            return MentionContext(ASK, EXPLAINED)
        # Sweating in the heat is explained; whether there is a fever too is asked.
        heat = any(not _denied(doc, cue, sentence) for cue in in_sentence("HEAT"))
        if flag == SYSTEMIC_SYMPTOMS and heat and _sweating_only(span, sentence):
            return MentionContext(ASK, ORDINARY_CAUSE)
        # Pain shooting from the buttock to the heel has no everyday cause, tight boots or
        # not; numbness after the gym that is still there is not explained by the gym.
        travelling = any(label in self.travelling_concepts for label in inside)
        if flag in ORDINARY_CAUSE_FLAGS and not travelling and not ongoing:
            causes = self._ordinary_causes(in_sentence, flag)
            if self._reached(doc, span, causes, both_ways=True, scope=ORDINARY_CAUSE_SCOPE, commas_end=False):
                # Explained and gone as soon as the person moved or left the cold: over.
                # Passing on its own is not enough: legs that go numb and recover as the
                # position changes may be the spine's.
                if self._transient(doc, span, sentence, cues):
                    return MentionContext(SET_ASIDE, PAST)
                return MentionContext(ASK, ORDINARY_CAUSE)
        conditions_reaching = [
            cue for cue in in_sentence("CONDITIONAL") if self._reached(doc, span, [cue], both_ways=False)
        ]
        if not claimed and conditions_reaching:
            if self._supposed_case(doc, span, sentence, cues, conditions_reaching):
                return MentionContext(SET_ASIDE, HYPOTHETICAL)
            return MentionContext(ASK, CONDITIONAL)
        return MentionContext(COUNTS)

    @staticmethod
    def _supposed_case(
        doc: Doc, span: Span, sentence: Span, cues: Dict[str, List[Span]], conditions: Sequence[Span]
    ) -> bool:
        """Whether an "if" that reaches the mention opens a case only supposed, inside a question.

        "What should I do if my legs went numb?", "if the pain started waking me up,
        would that change your advice?", "if I get numbness after my op next month,
        should I go straight in?": the sentence asks (a question mark, or the main
        clause's "would/should/is that"), and the "if" clause is in the past subjunctive,
        tells of a change yet to start or places the case in the future
        (``SUPPOSED_CASE``), or the person says it has not happened (``NOT_HAPPENED``).
        A case told in the present ("what do I do if I can't feel myself wipe?") may be
        the person's own, and so may one the sentence dates now or just past ("... if
        my legs went numb this morning?"): those are still asked about.
        """
        if any(sentence.start <= cue.start < sentence.end for cue in cues.get("NOW_TOLD", [])):
            return False
        opening = min(cue.start for cue in conditions)
        asks = doc[sentence.end - 1].text == "?" or any(
            doc[i].lower_ in QUESTION_MODALS and doc[i + 1].lower_ in REFERRING_BACK | {"i", "you"}
            for i in range(span.end, sentence.end - 1)
        )
        if not asks:
            return False
        if cues.get("NOT_HAPPENED"):
            return True
        # "if I've got ...", "if it's started ...": a present perfect tells of now.
        return any(
            opening < cue.start < sentence.end and doc[cue.start - 1].lower_ not in PERFECT_AUXILIARIES
            for cue in cues.get("SUPPOSED_CASE", [])
        )

    @staticmethod
    def _in_next_sentence(
        doc: Doc, sentence: Span, cues: Dict[str, List[Span]], label: str, *, referring: bool = True
    ) -> bool:
        """Whether a ``label`` cue stands in the sentence right after ``sentence``, told of it.

        With ``referring``, only a sentence that opens by pointing back ("That never
        happened before ...") tells more of the same thing; "The back ache is new" is
        about something else. Without it, any next sentence counts (for cues that can
        only be said of one thing, such as "no change recently" after a leak).
        """
        if sentence.end >= len(doc) or (referring and doc[sentence.end].lower_ not in REFERRING_BACK):
            return False
        following = doc[sentence.end].sent
        return any(following.start <= cue.start < following.end for cue in cues.get(label, []))

    @staticmethod
    def _dated_in_next_sentence(doc: Doc, sentence: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether the next sentence opens by dating this one long ago ("That was three years ago.").

        Only a sentence told in the past, and only a date that opens the next sentence by
        pointing back, with nothing in it saying it goes on ("That was 2 years ago and
        it's still there"); "It started 2 years ago" dates an onset, not an end.
        """
        if sentence.end >= len(doc) or not any(token.lower_ in PAST_TENSE_WORDS for token in sentence):
            return False
        following = doc[sentence.end].sent
        if any(following.start <= cue.start < following.end for cue in cues.get("ONGOING", [])):
            return False
        return any(
            cue.start == following.start and cue[0].lower_ in REFERRING_BACK and len(cue) > 1 and cue[1].lemma_ == "be"
            for cue in cues.get("LONG_AGO", [])
        )

    def _transient(self, doc: Doc, span: Span, sentence: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether the mention is said to pass as soon as the person moves or leaves the cause.

        In its sentence, or at the opening of the next one, which then tells only of it
        ("My feet go numb in the freezer. Back to normal when I come out.").
        """
        transient = cues.get("TRANSIENT", [])
        in_sentence = [cue for cue in transient if sentence.start <= cue.start < sentence.end]
        if self._reached(doc, span, in_sentence, both_ways=True, scope=RESOLVED_SCOPE):
            return True
        return any(sentence.end <= cue.start < sentence.end + TRANSIENT_OPENING for cue in transient)

    @staticmethod
    def _ordinary_causes(in_sentence: Callable[[str], List[Span]], flag: str) -> List[Span]:
        """The everyday causes of a sentence, without those told as an onset ("it started after the gym").

        Cold and footwear explain numb toes, not a numb saddle area: "numb-ish down there
        but it could be the cold" is asked about no more than without the guess, and
        trainers looked at while the bum is numb are shopping, not a cause.
        """
        onsets = in_sentence("ONSET")
        candidates = in_sentence("ORDINARY_CAUSE")
        if flag != SADDLE_ANAESTHESIA:
            candidates = [*candidates, *in_sentence("COLD"), *in_sentence("FOOTWEAR")]
        return [cue for cue in candidates if not any(0 <= cue.start - onset.end <= ONSET_REACH for onset in onsets)]

    @staticmethod
    def _someone_else(span: Span, sentence: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether the nearest person named before the mention's end is someone else.

        "My husband says my legs give way": the nearest is "my", the person's own.
        "My grandma can't feel her feet": the nearest is "her". Someone who only noticed
        or asked about it is an observer, not its owner: in "my wife spotted the wet
        patch on the sofa before I did" the patch is the person's own. In a message
        that types someone's own words for them ("her words: ..."), no one is.
        """
        doc = span.doc
        # Someone's own words typed for them are their first-person report.
        if cues.get("DICTATED"):
            return False
        people: Dict[int, str] = {}
        for label in ("FIRST_PERSON", "OTHER_PERSON"):
            for cue in cues.get(label, []):
                if label == "OTHER_PERSON" and cue.end < len(doc) and doc[cue.end].lower_ in OBSERVING:
                    continue
                for index in range(cue.start, cue.end):
                    people[index] = label
        aside = _parenthetical(doc, sentence.start, span.start)
        for index in range(span.end - 1, sentence.start - 1, -1):
            if index in people and index not in aside:
                return people[index] == "OTHER_PERSON"
        return False

    def _hypothetical(self, doc: Doc, span: Span, sentence: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether a hypothetical cue reaches the mention, or its sentence is a general question."""
        hypothetical = [cue for cue in cues.get("HYPOTHETICAL", []) if sentence.start <= cue.start < sentence.end]
        if self._reached(doc, span, hypothetical, both_ways=False):
            return True
        normality = [cue for cue in cues.get("NORMALITY_QUESTION", []) if sentence.start <= cue.start < sentence.end]
        if self._reached(doc, span, normality, both_ways=False):
            # "Is it normal to ...?" from someone telling of themself, or of how long their
            # own back pain has lasted, is about their own symptom.
            return not (cues.get("FIRST_PERSON") or cues.get("SELF_CLAIM"))
        openings = self._openings(doc, sentence, span)
        if self._opens(openings, cues, "SUPPOSITION"):
            return True
        starts_with = {
            label
            for label in ("QUESTION_OPENER", "WH_OPENER")
            if self._opens(openings, cues, label, statements=label == "QUESTION_OPENER")
        }
        generic_you = any(sentence.start <= cue.start < sentence.end for cue in cues.get("GENERIC_YOU", []))
        # People often leave out the question mark: "what is urinary retention", "can
        # sciatica make you wet yourself or is that a myth".
        is_question = (
            doc[sentence.end - 1].text == "?"
            or "WH_OPENER" in starts_with
            or ("QUESTION_OPENER" in starts_with and generic_you)
        )
        # A general question that follows what the person has just told of themself does
        # not take it back: in "I have myeloma but it's stable, just wondering if insoles
        # would help" the myeloma is still theirs.
        told_first = any(sentence.start <= cue.start < span.end for cue in cues.get("FIRST_PERSON", []))
        general_cues = [cue for cue in cues.get("GENERAL_QUESTION", []) if not (told_first and cue.start >= span.end)]
        general = [cue for cue in general_cues if sentence.start <= cue.start < sentence.end]
        if general or (is_question and general_cues):
            return True
        if self._asked_and_denied(doc, span, sentence, cues):
            return True
        if _self_asked_and_explained(doc, span, sentence):
            return True
        none_applies = [cue for cue in cues.get("NONE_APPLIES", []) if sentence.start <= cue.start < sentence.end]
        if any(not self._contrast_between(doc, cue, span) for cue in none_applies):
            return True
        if not is_question or cues.get("SELF_CLAIM"):
            return False
        # "Can sciatica affect both legs?" and "can sciatica make you wet yourself" ask
        # about symptoms in general; "is it bad that I can't feel the paper?" and
        # "could this be cauda equina?" are about the person.
        own = ("FIRST_PERSON", "SELF_REFERENCE")
        personal = any(sentence.start <= cue.start < span.end for label in own for cue in cues.get(label, []))
        return bool(starts_with or generic_you) and not personal

    def _claims(self, flag: str, cues: Dict[str, List[Span]]) -> List[Span]:
        """The cues by which the person says an asked-about symptom of ``flag`` is theirs.

        Not a claim followed in its sentence by a denial of the flag's own evidence: in
        "how would I know if my sciatica was serious? ... because I get a twinge but
        nothing down the leg" the person claims the twinge and denies the sign. An
        emergency flag keeps its claim: a question about one is not set aside on a
        denial that may be of another of its signs.
        """
        claims = cues.get("SELF_CLAIM", [])
        if flag not in RED_FLAG_CATALOGUE or red_flag_level(flag) is TriageLevel.EMERGENCY:
            return claims
        return [
            claim
            for claim in claims
            if not any(
                denied.label_ == flag and denied.start >= claim.end and denied.sent == claim.sent
                for denied in self._denied
            )
        ]

    def _resolved_in_next_sentence(self, doc: Doc, span: Span, sentence: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether the sentence after a symptom told as past tells that it is over.

        "I had a scare in the summer with tingling down my right leg. The physio sorted
        it out and it's completely gone." Not a recovery told as what happens each time
        or on a condition ("It goes away when I lie down"), nor one in a sentence that
        says it is back or tells of another symptom before it.
        """
        if sentence.end >= len(doc) or not any(token.lower_ in PAST_TENSE_WORDS for token in sentence):
            return False
        following = doc[sentence.end].sent
        if any(following.start <= cue.start < following.end for cue in cues.get("ONGOING", [])):
            return False
        for cue in cues.get("RESOLVED", []):
            if not following.start <= cue.start < following.end:
                continue
            if any(token.lower_ in HABITUAL_WORDS for token in cue):
                continue
            if cue.end < following.end and doc[cue.end].lower_ in RELIEF_CONDITIONS:
                continue
            if any(following.start <= other.start < cue.start for other in self._mentions):
                continue
            return True
        return False

    @staticmethod
    def _asked_and_denied(doc: Doc, span: Span, sentence: Span, cues: Dict[str, List[Span]]) -> bool:
        """Whether the mention is a clinician's question the person answers no at the sentence's end.

        "GP asked if I'd wet myself or had numbness down below, I haven't": the symptoms
        are what was asked, and the last words deny them. The answer may also be the
        whole of the next sentence ("The doctor asked about numbness down below. There
        isn't any."). Without that answer a reported question counts (the person may be
        telling of what the clinician suspected), and an answer that is not last ("I
        haven't, but now my legs are numb") may be of something else.
        """
        asked = any(sentence.start <= cue.start and cue.end <= span.start for cue in cues.get("CLINICIAN_ASKED", []))
        if not asked:
            return False
        answers = cues.get("ANSWERED_NO", [])
        if any(
            span.end <= cue.start
            and sentence.start <= cue.start < sentence.end
            and all(doc[i].is_punct for i in range(cue.end, sentence.end))
            for cue in answers
        ):
            return True
        if sentence.end >= len(doc):
            return False
        following = doc[sentence.end].sent
        return any(
            cue.start == following.start and all(doc[i].is_punct for i in range(cue.end, following.end))
            for cue in answers
        )

    @staticmethod
    def _openings(doc: Doc, sentence: Span, span: Span) -> Set[int]:
        """Where a clause that holds the mention opens the sentence.

        The sentence's first word, or the first after a short lead-in and a comma
        ("Out of interest, why is night pain a warning sign?"), when it comes before the
        mention: in "Both legs numb, what should I do?" the question follows the symptom.
        """
        lead_in_end = min(sentence.start + LEAD_IN_WORDS, span.start)
        return {sentence.start} | {i + 1 for i in range(sentence.start, lead_in_end) if doc[i].text == ","}

    @staticmethod
    def _opens(openings: Set[int], cues: Dict[str, List[Span]], label: str, *, statements: bool = False) -> bool:
        """Whether a ``label`` cue opens one of the ``openings``.

        With ``statements``, an opener followed by a negation is not one: "cant
        ejaculate properly since my back went" is a statement without its "I".
        """
        return any(
            cue.start in openings
            and not (statements and cue.end < len(cue.doc) and cue.doc[cue.end].norm_ in NEGATED_VERB_ENDINGS)
            for cue in cues.get(label, [])
        )

    def _reached(
        self,
        doc: Doc,
        span: Span,
        cues: Sequence[Span],
        *,
        both_ways: bool,
        scope: Optional[int] = None,
        commas_end: bool = True,
    ) -> bool:
        """Whether a cue reaches the mention within ``scope`` tokens, with no terminator or clause break between.

        A cue reaches forward (cue before the mention, or opening before it and running
        into it: "if my sciatica ever went into both legs"); with ``both_ways`` also
        backward ("had sciatica in 2019, gone now"), where a comma does not end its reach.
        """
        scope = self.scope if scope is None else scope
        for cue in cues:
            if cue.start < span.start < cue.end:
                return True
            if cue.end <= span.start:
                between = range(cue.end, span.start)
                if span.start - cue.end > scope:
                    continue
                # "watch out for numbness and I think my bottom is numb": the mention
                # is completed by the person's own report, which no cue before reaches.
                if any(_own_report(doc, i) for i in range(span.start, span.end)):
                    continue
                if any(
                    (commas_end and doc[i].text in CLAUSE_BREAKS) or self._terminates(doc, i) or _own_report(doc, i)
                    for i in between
                ):
                    continue
                return True
            if both_ways and cue.start >= span.end:
                # A cue that points back ("but that was 3 years ago") dates all the
                # sentence told before it, however long the story.
                pointing_back = cue[0].lower_ in REFERRING_BACK
                if cue.start - span.end > scope and not pointing_back:
                    continue
                if any(
                    doc[i].lower_ in BACKWARD_TERMINATORS
                    or (doc[i].lower_ == "and" and doc[i + 1].lower_ in NEW_SUBJECT_AFTER_AND)
                    for i in range(span.end, cue.start)
                ):
                    continue
                # Another symptom in between is what the cue is about; the same flag
                # told on in the next words is the same event ("broke my tailbone
                # falling off a swing as a kid"), and so is the same flag anywhere
                # before a cue that points back at the whole story ("couldn't feel when
                # I needed a wee, with the catheter, but that was 2 years ago").
                # A cue pointing back dates an occasion told first with what followed it
                # ("after the epidural I couldn't feel to wee, but that was 6 years ago").
                occasion = pointing_back and _told_as_occasion(doc, span)
                if not occasion and any(
                    span.end <= other.start
                    and other.end <= cue.start
                    and (other.label_ != span.label_ or (other.start - span.end > SAME_EVENT_GAP and not pointing_back))
                    and not _told_as_cause(doc, other)
                    for other in self._mentions
                ):
                    continue
                return True
            if both_ways and cue.start < span.end and span.start < cue.end:
                return True
        return False

    def _contrast_between(self, doc: Doc, first: Span, second: Span) -> bool:
        """Whether a terminator or an exception ("apart from", "besides") stands between two spans."""
        start, end = (first.end, second.start) if first.end <= second.start else (second.end, first.start)
        return any(self._terminates(doc, i) or doc[i].lower_ in EXCEPTIONS for i in range(start, end))

    def _terminates(self, doc: Doc, index: int) -> bool:
        token = doc[index]
        return token.lower_ in self.terminators or token.lemma_ in self.terminators


def _own_report(doc: Doc, index: int) -> bool:
    """Whether ``index`` opens "and I think ...": the person's own report, out of reach of a cue before it.

    In "my physio told me to look out for cauda equina and I think my privates are
    numb" the advice is hypothetical, the numbness is told as the person's.
    """
    return (
        doc[index].lower_ == "and"
        and index + 2 < len(doc)
        and doc[index + 1].lower_ == "i"
        and doc[index + 2].lower_ in OWN_REPORT_VERBS
    )


def _parenthetical(doc: Doc, start: int, end: int) -> Set[int]:
    """The token indices between ``start`` and ``end`` inside a bracket closed before ``end``.

    An aside in brackets says nothing of whose the symptom after it is: in "my client
    (I'm a carer) has numb legs" the legs are the client's.
    """
    inside: Set[int] = set()
    opened: Optional[int] = None
    for index in range(start, end):
        if doc[index].text == "(":
            opened = index
        elif doc[index].text == ")" and opened is not None:
            inside.update(range(opened, index + 1))
            opened = None
    return inside


def _self_asked_and_explained(doc: Doc, span: Span, sentence: Span) -> bool:
    """Whether the mention is all of a question the next sentence answers with "no, just ...".

    "Night sweats?? no its just the duvet": the person asks it of themself and puts it
    down to something ordinary. A bare "no" without the explanation ("numb down there?
    nope, totally dead") may deny the question's doubt, not the symptom.
    """
    if doc[sentence.end - 1].text != "?" or sentence.end >= len(doc):
        return False
    rest = (*range(sentence.start, span.start), *range(span.end, sentence.end))
    if any(not doc[i].is_punct and doc[i].lower_ not in QUESTION_FILLERS for i in rest):
        return False
    following = doc[sentence.end].sent
    words = [token.lower_ for token in following if not token.is_punct][:SELF_ANSWER_REACH]
    if len(words) < 2 or words[0] not in SELF_ANSWER_NO or words[1] in NOT_AN_ANSWER:
        return False
    return any(word in EXPLAINING_WORDS for word in words[1:])


def _sweating_only(span: Span, sentence: Span) -> bool:
    """Whether ``span`` tells of sweating and its sentence of no fever or chills."""
    sweating = any(token.lower_ in SWEAT_WORDS or token.lemma_ in SWEAT_WORDS for token in span)
    return sweating and not any(token.lower_ in FEVER_WORDS for token in sentence)


def _told_as_cause(doc: Doc, mention: Span) -> bool:
    """Whether ``mention`` is told as the cause of what came before it ("because of the epidural")."""
    words = [token.lower_ for token in doc[max(0, mention.start - CAUSE_OPENER_REACH - 2) : mention.start]]
    return any(pair in CAUSE_OPENERS for pair in pairwise(words))


def _told_as_occasion(doc: Doc, mention: Span) -> bool:
    """Whether ``mention`` is told as the occasion of what follows it ("after the epidural ...")."""
    return any(
        token.lower_ in OCCASION_OPENERS for token in doc[max(0, mention.start - OCCASION_REACH) : mention.start]
    )


def _denied(doc: Doc, cue: Span, sentence: Span) -> bool:
    """Whether a negation word stands shortly before ``cue`` in its sentence ("not trying to lose")."""
    return any(doc[i].norm_ in DENIALS for i in range(max(sentence.start, cue.start - DENIAL_REACH), cue.start))


def _key(span: Span) -> MentionKey:
    return (span.start, span.end, span.label_)


def mention_contexts(doc: Doc) -> Dict[MentionKey, MentionContext]:
    """Return the context of every mention of ``doc`` (empty before the component ran)."""
    return dict(doc._.red_flag_contexts or {})


def evidence_flags(doc: Doc, *, area: bool = False) -> Set[str]:
    """Flags whose evidence concepts (with ``area``: body-area concepts) ``doc`` has, in a context that counts."""
    return {span.label_ for span in doc._.get("red_flag_area_evidence" if area else "red_flag_evidence") or []}


def told_evidence_flags(doc: Doc) -> Set[str]:
    """Flags whose evidence concepts ``doc`` has in any context: negated, set aside or counting."""
    return {span.label_ for span in doc._.red_flag_evidence_told or []}


def everyday_area_flags(doc: Doc) -> Set[str]:
    """Flags whose body area ``doc`` names in an everyday act ("I had a wee before I came out")."""
    return set(doc._.red_flag_everyday_areas or ())


def explained_area_flags(doc: Doc) -> Set[str]:
    """Flags whose body area ``doc`` names only with an everyday cause or explanation."""
    return set(doc._.red_flag_explained_areas or ())


def set_aside_flags(doc: Doc) -> Set[str]:
    """Flag ids mentioned in ``doc`` only in a set-aside context."""
    contexts = mention_contexts(doc)
    counting = {flag for (_s, _e, flag), context in contexts.items() if context.outcome == COUNTS}
    return {flag for (_s, _e, flag), c in contexts.items() if c.outcome == SET_ASIDE} - counting


@Language.factory(
    "red_flag_context",
    requires=["doc.spans"],
    default_config={"context_path": "context.yml", "scope": 12, "validate_patterns": True},
)
def make_red_flag_context(
    nlp: Language, name: str, context_path: str, scope: int, validate_patterns: bool
) -> RedFlagContext:
    """Create a ``RedFlagContext`` (see its docstring)."""
    return RedFlagContext(nlp, name, context_path, scope, validate_patterns)
