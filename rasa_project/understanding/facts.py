"""Assessment facts a person volunteers anywhere in a message, before they are asked.

"I'm a nurse, 12h shifts, flat feet, back's been bad for about a year, one leg is
1.5cm shorter" answers four questions at once. :func:`extract_facts` finds such
statements with the same slot readers that read answers
(:mod:`rasa_project.understanding.answers`), so the vocabulary lives in one place:
each reader says what a statement about its slot looks like ("flat" must be said of
the feet, a duration of the pain), and this module decides whose statement it is.

Only the person's own statements count. A sentence needs a first-person word ("I",
"my") unless the statement can only be theirs ("it started 3 weeks ago", "never
worn insoles") or its clause leaves the "I" out, as people type ("tried insoles from
the chemist, no difference", "sit at a desk all day", "had back pain about a
year"). Questions ("do flat feet cause back pain?"), conditionals and
wishes ("if I have flat feet ..."), hearsay ("I heard insoles help") and talk about
other people ("my wife has flat feet") give nothing, because a wrong fact silently
skips a question. Corrections are facts too ("actually more like 4 months", "sorry I
meant flat not high"): the corrected part is read as an answer, and kept when it can
only answer one question.

Every :class:`Fact` carries character offsets into the message as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Dict, List, Optional, Sequence, Tuple, Union

from rasa_project.clinical.contract import (
    FOOT_ARCH,
    GAIT_DIAGNOSIS,
    INSOLE_HISTORY,
    LEG_LENGTH_DIFFERENCE,
    PAIN_DURATION,
    PAIN_SEVERITY,
    RED_FLAG_SCREEN,
    SHOE_WEAR,
)
from rasa_project.understanding.answers import READERS, read_reply
from rasa_project.understanding.answers.clauses import (
    after_last_correction,
    clause_span,
    others_clauses,
    own_clauses,
    question_clauses,
)
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.pain_duration import says_pain_lasted_since
from rasa_project.understanding.answers.reading import Answer, Finding
from rasa_project.understanding.answers.words import Word, is_word, tokenize
from rasa_project.understanding.answers.yes_no import yes_no as read_yes_no_words

#: Longest message that is read; the rest is ignored (a person does not state
#: assessment facts 20,000 characters into a message).
MAX_MESSAGE_CHARS = 20_000
#: How many words back from a statement its clause is searched for context.
_CONTEXT_WORDS = 30

_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?!\s|$))+[.!?]*")
_FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "i'd", "i'll", "my", "me", "mine", "myself"})
#: Words after which a statement is not a claim about the person's own situation now.
_OTHER_PEOPLE = frozenset(
    {
        "friend", "wife", "husband", "partner", "son", "daughter", "mother", "father", "mum", "mom", "dad",
        "sister", "brother", "people", "someone", "somebody", "patient", "patients", "kid", "kids", "child",
        "children", "colleague", "boss", "he", "she", "his", "her",
    }
)  # fmt: skip
_NOT_A_CLAIM = _OTHER_PEOPLE | frozenset(
    {
        "if", "whether", "when", "whenever", "unless", "suppose", "supposing", "assuming", "imagine", "heard",
        "hear", "read", "reading", "apparently", "wonder", "wondering", "hope", "hoping", "want", "wanted", "wish", "would",
        "could", "might", "should", "maybe", "perhaps", "considering", "thinking", "planning", "gonna",
    }
)  # fmt: skip


#: Verbs that open a statement whose "I" is left out: "tried insoles", "work in a shop".
_ELIDED_SUBJECT_VERBS = frozenset(
    {
        "have", "had", "got", "been", "tried", "try", "used", "wore", "worn", "bought", "work", "worked",
        "working", "sit", "sat", "stand", "stood", "walk", "walked", "spend", "spent", "suffer", "suffered",
        "suffering", "started", "getting", "having", "never", "always", "mostly", "mainly", "usually", "do",
        "did", "doing", "gave", "given", "wear", "wearing", "run", "drive", "deliver", "delivering",
    }
)  # fmt: skip
_BRACKETS = frozenset("()[]")
_LEADING_FILLERS = frozenset({"and", "also", "but", "so", "just", "oh", "well", "um", "then", "plus", "yeah", "ok"})
#: Words that quote one's own earlier answer: "I said my arches were normal but ...".
_QUOTING = [("i", "said"), ("i", "put"), ("i", "answered"), ("i", "told", "you"), ("i", "wrote")]
#: Verbs that take back what they quote, up to the end of its clause: "scrap what I said
#: about high arches, ...", "ignore what I put for the legs - ...".
_TAKING_BACK = frozenset({"scrap", "scratch", "forget", "ignore", "disregard", "cancel", "delete", "bin", "strike"})
#: Most words between a taking-back verb and the quote: "forget all that I said".
_TAKING_BACK_GAP = 3
#: Marks that end the quoted answer a taking-back verb takes back.
_QUOTE_ENDS = frozenset({",", ";", ".", "-", ":", "but"})
#: Words that end a correction without being part of it: "more like 4 months, sorry".
_APOLOGIES = frozenset({"sorry", "actually", "thanks", "oops"})
#: Words of claims about people in general ("flat feet cause back pain").
_GENERIC_CLAIM = frozenset(
    {"cause", "causes", "caused", "lead", "leads", "link", "linked", "often", "usually", "is", "are"}
)
_COPULAS = frozenset({"is", "are"})
#: Verbs by which someone else reports what they found: "she says my arches are normal".
_REPORTS = frozenset({"says", "said", "reckons", "reckoned", "thinks", "thought", "found", "measured", "confirmed"})
#: Pronouns that may stand for a clinician who reports on the person.
_REPORTERS = frozenset({"she", "he"})
#: Verbs by which a clinician gives (or does not give) a diagnosis.
_DIAGNOSES = frozenset({"diagnosed", "diagnose", "diagnoses"})
#: Questions a plain "yes" or "no" answers.
_YES_NO_SLOTS = frozenset({LEG_LENGTH_DIFFERENCE, GAIT_DIAGNOSIS})
_BACKACHE = frozenset({"backache", "backaches", "backpain"})
#: "Bck" as typed in a hurry; "my waist is paining me" names the low back in West
#: African English.
_BACK = frozenset({"back", "back's", "backs", "bck", "waist"})
#: Words that open a plan of the person's own: "thinking about insoles".
_PLANS = frozenset({"thinking", "considering", "planning", "wondering", "hoping"})
_HURTS = frozenset(
    {
        "pain",
        "painful",
        "ache",
        "aches",
        "aching",
        "ached",
        "achy",
        "sore",
        "hurts",
        "hurting",
        # "My low back hurt", "I hurt my back": a plain or past form, often from people
        # writing in a second language.
        "hurt",
        "hurted",
        "paining",
        "bad",
        "stiff",
        "niggle",
        "trouble",
        # "My back's killing me", "back's wrecked": how people say it hurts.
        "killing",
        "murdering",
        "wrecked",
        "agony",
        "knackered",
        # "A dodgy back", "dicky back", "back's crook": how some say it is bad.
        "dodgy",
        "dicky",
        "iffy",
        "crook",
        "rooted",
        # "Back's been rough", "back's playing up", "back's in bits".
        "rough",
        "playing",
        "bits",
        # "My back's had enough", "back is shot", "back's done in", "back's given up".
        "enough",
        "shot",
        "done",
        "given",
    }
)
#: Words that name a question's topic without answering it: "that was about the legs".
_TOPIC_WORDS = {
    LEG_LENGTH_DIFFERENCE: frozenset({"leg", "legs"}),
    INSOLE_HISTORY: frozenset({"insole", "insoles", "inserts", "orthotics", "supports"}),
    FOOT_ARCH: frozenset({"arch", "arches", "feet"}),
    SHOE_WEAR: frozenset({"shoes", "soles", "trainers"}),
}
#: Words that name the gait question's topic in a correction: "that gait thing ...".
_GAIT_TOPIC = frozenset({"gait"})
#: Words by which a correction refers to insoles: named, or "they", "them", "the ones" of the question.
_INSOLE_REFERENCES = _TOPIC_WORDS[INSOLE_HISTORY] | {"insert", "orthotic", "footbeds", "they", "them", "ones"}
#: Words that, negated, say a back hurts: "my back is not good".
_NOT_WELL = frozenset({"good", "great", "right", "well", "ok", "okay"})
#: Words that make a statement only possible; "maybe" and "may" are left out ("for maybe a year", "since May").
_HEDGED = frozenset({"might", "could", "possibly", "if", "whether", "would", "should"})


@dataclass(frozen=True)
class Fact:
    """One volunteered assessment answer."""

    #: An assessment slot name from ``contract``.
    slot: str
    #: The contract value (an ``int`` for ``pain_severity``).
    value: Union[str, int]
    #: Character offsets of the phrase that states the fact.
    start: int
    end: int
    #: ``message[start:end]``.
    text: str


#: Marks between the items of a list typed in note form.
_LIST_MARKS = frozenset({",", "+", ";"})


def _is_claim(texts: Sequence[str], first: int, last: int) -> bool:
    """Whether the statement at words ``first`` to ``last`` is the person's own and not only possible.

    Nothing earlier in its clause may make it conditional, hearsay or someone else's,
    and nothing in it may hedge it ("my left leg might be shorter").
    """
    start, _ = clause_span(texts, first, and_breaks=True)
    before = _words_between(texts, max(start, first - _CONTEXT_WORDS), first)
    blocking = _NOT_A_CLAIM & before
    if blocking and blocking <= _OTHER_PEOPLE and _REPORTS & before and "my" in texts[max(0, first - 1) : first + 1]:
        # "She says my arches are normal": someone reports a finding on the person's own feet.
        blocking = frozenset()
    if blocking and blocking <= _REPORTERS and _DIAGNOSES & _words_between(texts, first, last + 1):
        # "She never actually diagnosed anything": the clinician the person saw, reporting on them.
        blocking = frozenset()
    return not (blocking or _HEDGED & _words_between(texts, first, last + 1))


#: Words for the person as a child: "diagnosed as a kid", "since I was a child".
_CHILDHOOD = frozenset({"kid", "child", "boy", "girl", "teenager", "teen", "baby"})


def _of_own_childhood(texts: Sequence[str], i: int) -> bool:
    """Whether the word at ``i`` is the person as a child ("as a kid", "when I was a child"), not someone else."""
    return texts[i] in _CHILDHOOD and i >= 2 and texts[i - 1] in ("a", "an") and texts[i - 2] in ("as", "was")


def _words_between(texts: Sequence[str], start: int, end: int) -> set[str]:
    """The words ``texts[start:end]``, without those that state after all.

    The "if" of "if anything" ("if anything it's worse") and the "thinking" of
    "thinking about it" ("thinking about it, I sit more") introduce a statement,
    not a condition or a plan; the "kid" of "as a kid" is the person, years ago.
    """
    return {
        texts[i]
        for i in range(start, end)
        if not (texts[i] == "if" and texts[i + 1 : i + 2] == ["anything"])
        and not (texts[i] == "thinking" and texts[i + 1 : i + 3] == ["about", "it"])
        and not _of_own_childhood(texts, i)
    }


def _question_words(words: Sequence[Word]) -> set[int]:
    """Indices of the words that ask; a sentence that ends with "?" and has no such clause asks with its last clause.

    "I drive 10 hours, my back hurts, maybe the seat or my shoes?" states its first
    clauses and asks only the last; one clause ending with "?" asks as a whole.
    """
    asked = {i for start, end in question_clauses(words, cautious=True) for i in range(start, end)}
    if not asked and words and words[-1].text == "?":
        commas = [i for i, word in enumerate(words) if word.text == ","]
        return set(range(commas[-1] + 1 if commas else 0, len(words)))
    return asked


#: A score said to have been given too low or too high: "I said too low before", "I
#: underrated it". A number in such a correction is the pain score given anew.
_RESCORED = Options(
    {
        "rescored": "said|put|gave|scored|rated|marked|answered|guessed|went it|that|this? a? bit|little|way|far|much?"
        " too low|high|little|much|mild|lightly; underrated|overrated|underestimated|overestimated|understated;"
        " overstated|undersold|oversold|downplayed|underplayed it|that|the pain?"
    }
)


def _correction(words: Sequence[Word], today: date) -> Optional[Tuple[str, Union[str, int], int, int]]:
    """A correction's fact, as ``(slot, value, first, last)``, when it can answer only one question."""
    if _only_takes_back(words):
        return None  # "Wait, not years": what the answer is not says nothing of what it is
    retracted = _retracted(words)
    corrected = after_last_correction(words)
    if retracted and (not corrected or corrected[0].start <= words[retracted[1]].start):
        # "Actually scrap what I said about X, ...": the correction is what follows the quote.
        corrected = list(words[retracted[1] + 1 :])
    after_quote = retracted is not None and corrected == list(words[retracted[1] + 1 :])
    corrected = _without_reflection(corrected) if corrected else corrected
    texts = [w.text for w in corrected] if corrected else []
    if corrected and "," in texts and _NOT_A_CLAIM & set(texts):
        # "More like 5 months, I was counting from when it got worse": the correction is
        # its first clause; what follows explains it.
        head = corrected[: texts.index(",")]
        corrected = head if _readings(head, today) else corrected
    if not corrected or _NOT_A_CLAIM & {w.text for w in corrected}:
        return None
    readings = _readings(corrected, today)
    if _GAIT_TOPIC & {w.text for w in corrected}:
        # "That gait thing wasn't a doctor, it was the lad in the running shop": a
        # correction about the gait answers only the gait question, whatever a shop or
        # a walk in it might answer of another.
        readings = {slot: value for slot, value in readings.items() if slot == GAIT_DIAGNOSIS}
    contrasted = _contrasted(corrected, today)
    if retracted is not None and after_quote:
        # What is taken back decides the question: "I said my arches were normal but ... high".
        quote = words[retracted[0] : retracted[1]]
        quoted = [slot for slot in _readings(quote, today) if slot in readings]
        contrasted = quoted[0] if len(quoted) == 1 and quoted[0] != PAIN_SEVERITY else contrasted
        # "Ignore what I put for the legs - they're even": the topic quoted is the question
        # the new words answer, read as that question's answer.
        quote_texts = {w.text for w in quote}
        topics = [slot for slot, topic in _TOPIC_WORDS.items() if topic & quote_texts]
        value = read_reply(READERS[topics[0]], Answer(corrected, False, today)) if len(topics) == 1 else None
        if isinstance(value, (str, int)):
            readings, contrasted = {topics[0]: value}, None
    if contrasted in readings:
        # "4 weeks not 4 months": the new answer comes before "not", whatever the longer says.
        texts = [w.text for w in corrected]
        value = _readings(corrected[: texts.index("not")], today).get(contrasted) if "not" in texts else None
        readings = {contrasted: value if value is not None else readings[contrasted]}
    if (
        PAIN_DURATION in readings
        and (_names_another_topic(corrected) or _tells_of_something_had(corrected))
        and not READERS[PAIN_DURATION].find(corrected, today)
    ):
        # "I remembered my physio measured my legs in 2019": the date is of the
        # measurement, not how long the pain has lasted.
        del readings[PAIN_DURATION]
    if INSOLE_HISTORY in readings and not _INSOLE_REFERENCES & {w.text for w in corrected}:
        # "Sorry my English not so good": an outcome word ("good", "worse") of no
        # insoles named or referred to says nothing of an insole trial.
        del readings[INSOLE_HISTORY]
    plain = read_yes_no_words(corrected)
    if plain == "yes" and len(readings) > 1:
        # "It is 2 months, not 6": the "it is" that reads as a yes to a yes/no question
        # answers none here beside a statement of another question's, unless the
        # question's own words are said too ("yes - a podiatrist diagnosed my gait").
        readings = {
            slot: value
            for slot, value in readings.items()
            if slot not in _YES_NO_SLOTS or value != plain or READERS[slot].find(corrected, today)
        }
    stated = [slot for slot in readings if READERS[slot].find(corrected, today)]
    if len(readings) > 1 and len(stated) == 1:
        # "I read it wrong - it says high arches": the one question whose statement it
        # makes in full ("high arches"), not every question a word of it may answer.
        readings = {stated[0]: readings[stated[0]]}
    # A bare score is never a fact, but it makes "actually it's high" ambiguous; a
    # correction that says the score was too low or too high gives the score anew.
    rescored = set(readings) == {PAIN_SEVERITY} and bool(_RESCORED.mentions(words))
    if len(readings) != 1 or (PAIN_SEVERITY in readings and not rescored):
        return None
    ((slot, value),) = readings.items()
    first = next(i for i, word in enumerate(words) if word is corrected[0])
    last = first + len(corrected) - 1
    while not is_word(words[first]) and not words[first].text[:1].isdigit():
        first += 1  # the fact starts at its first word, not at the comma after "sorry"
    while last > first and (
        words[last].text in _APOLOGIES or not (is_word(words[last]) or words[last].text[:1].isdigit())
    ):
        last -= 1
    return slot, value, first, last


#: Words that open a correction by saying the person has thought again: "thinking about it, ...".
_REFLECTIONS = [
    tuple(phrase.split())
    for phrase in (
        "thinking about it",
        "thinking of it",
        "thinking back",
        "now i think about it",
        "now that i think about it",
        "come to think of it",
        "on reflection",
        "on second thought",
        "on second thoughts",
    )
]


def _without_reflection(words: List[Word]) -> List[Word]:
    """``words`` without an opening "thinking about it": a second thought, not a plan of what to do."""
    start = 1 if words and words[0].text == "," else 0  # "actually, thinking about it"
    texts = tuple(w.text for w in words[start:])
    for phrase in _REFLECTIONS:
        if texts[: len(phrase)] == phrase:
            rest = words[start + len(phrase) :]
            return rest[1:] if rest and rest[0].text == "," else rest
    return words


def _topics_told_as_own(statements: Sequence[_Statement]) -> frozenset[str]:
    """The slots whose topic ("my legs", "my insoles") earlier sentences name in the first person."""
    # Only a sentence about the person alone: "my wife has flat feet" gives the feet to her.
    own = [set(s.texts) for s in statements if _FIRST_PERSON & set(s.texts) and not _NOT_A_CLAIM & set(s.texts)]
    return frozenset(slot for slot, topic in _TOPIC_WORDS.items() if any(topic & texts for texts in own))


def _names_another_topic(words: Sequence[Word]) -> bool:
    """Whether words name the topic of a question other than the pain's: legs, insoles, arches, shoes."""
    texts = {w.text for w in words}
    return any(topic & texts for topic in _TOPIC_WORDS.values())


#: Words between "I had" and what was had: "I had a kidney stone", "I got my gallbladder out".
_HAD_ARTICLES = frozenset({"a", "an", "my", "some", "the", "this", "that"})
#: What was had that is the pain itself: "I had it", "I've had this pain".
_THE_PAIN_HAD = frozenset({"it", "this", "that", "one"}) | _BACK | _BACKACHE | _HURTS


def _tells_of_something_had(words: Sequence[Word]) -> bool:
    """Whether words tell of something the person had other than the pain: "I had breast cancer treated".

    Its date ("in 2021") is when that happened, not how long the back has hurt.
    """
    texts = [w.text for w in words]
    for i in range(len(texts) - 2):
        if texts[i] == "i" and texts[i + 1] in ("had", "got"):
            rest = [t for t in texts[i + 2 : i + 5] if t not in _HAD_ARTICLES]
            if rest and rest[0] not in _THE_PAIN_HAD and not rest[0][:1].isdigit():
                return True
    return False


def _retracted(words: Sequence[Word]) -> Optional[Tuple[int, int]]:
    """Where an earlier answer is quoted and then taken back: "I said normal but ...", as ``(first, but)``.

    The quoted answer is no fact, and what follows "but" is a correction.
    """
    texts = [w.text for w in words]
    for i in range(len(texts)):
        quoted = next((p for p in _QUOTING if tuple(texts[i : i + len(p)]) == p), None)
        if not quoted:
            continue
        # "Scrap what I said about high arches, the shop said they're flat": the verb
        # takes the quote back, and the quote ends with its clause.
        lead = next((j for j in range(max(0, i - _TAKING_BACK_GAP), i) if texts[j] in _TAKING_BACK), None)
        end = next((j for j in range(i + len(quoted), len(texts)) if texts[j] in _QUOTE_ENDS), None)
        if lead is not None and end is not None and end + 1 < len(texts):
            return lead, end
        if "but" in texts[i + len(quoted) :]:
            return i, texts.index("but", i + len(quoted))
    return None


def _readings(words: Sequence[Word], today: date) -> Dict[str, Union[str, int]]:
    """``words`` read as an answer to every assessment question but the screen: slot -> value."""
    answer = Answer(words, False, today)
    readings: Dict[str, Union[str, int]] = {}
    for slot, reader in READERS.items():
        value = read_reply(reader, answer) if slot != RED_FLAG_SCREEN else None
        if isinstance(value, (str, int)):
            readings[slot] = value
    return readings


def _contrasted(words: Sequence[Word], today: date) -> Optional[str]:
    """The slot a correction sets against its old answer: "high not flat" is the arch, whatever "high" may mean."""
    texts = [w.text for w in words]
    if "not" not in texts:
        return None
    cut = texts.index("not")
    before, after = _readings(words[:cut], today), _readings(words[cut + 1 :], today)
    # A bare score is never a fact: "the arch one ..., flat not high" is about the arch.
    both = [slot for slot in before if slot in after and before[slot] != after[slot] and slot != PAIN_SEVERITY]
    return both[0] if len(both) == 1 else None


def _subject_left_out(texts: Sequence[str], first: int) -> bool:
    """Whether the clause of the statement at word ``first`` opens with a verb and no subject ("tried insoles ...")."""
    start, _ = clause_span(texts, first)
    while start < first and texts[start] in _LEADING_FILLERS:
        start += 1
    return texts[start] in _ELIDED_SUBJECT_VERBS


@dataclass(frozen=True)
class _Statement:
    """A sentence's words without the clauses that ask, and what the readers found in them."""

    words: List[Word]
    findings: List[Tuple[str, Finding]]

    @property
    def texts(self) -> List[str]:
        return [w.text for w in self.words]

    @property
    def in_note_form(self) -> bool:
        """Whether the sentence names nobody else and claims nothing general: "flat feet", "desk job".

        An "is" or "are" inside a fact describes the person's own ("feet are normal");
        outside one it may claim something general ("flat feet are linked to back pain").
        """
        texts = self.texts
        describing = {i for _, f in self.findings for i in range(f.first + 1, f.last + 1) if texts[i] in _COPULAS}
        general = {text for i, text in enumerate(texts) if text in _GENERIC_CLAIM and i not in describing}
        # "Flat feet, thinking about insoles": a plan in a list item of its own, after
        # the facts, makes none of them only possible.
        stated = max((f.last for _, f in self.findings), default=len(texts))
        plans = {i for i in range(stated + 1, len(texts)) if texts[i] in _PLANS and texts[i - 1] in _LIST_MARKS}
        claimed = _words_between(texts, 0, len(texts)) - {texts[i] for i in plans}
        return not (_NOT_A_CLAIM & claimed or general)


def _statement(sentence: List[Word], today: date) -> _Statement:
    asked = _question_words(sentence)
    # Readers see the statement only: "never tried insoles, would they help?" states
    # "never tried insoles" and asks the rest. Brackets only set an aside off, and the
    # clause runs on through them: "on my feet (mostly standing) all shift".
    words = [w for i, w in enumerate(sentence) if i not in asked and w.text not in _BRACKETS]
    return _Statement(
        words, [(slot, finding) for slot, reader in READERS.items() for finding in reader.find(words, today)]
    )


def _lists_own_facts(statements: Sequence[_Statement]) -> bool:
    """Whether a message's sentences without "I" or "my" are still the person's own list of facts.

    People type in note form: "office job, sit all day, flat feet", or "Sore back 3
    months. Flat feet.". Statements about two or more questions, in sentences with
    nobody else and no generic claim, are taken as theirs, and so is one beside the
    person's back pain told in the same way ("sore back, high arches"); one phrase on
    its own ("flat feet") may only name the topic.
    """
    noted = [statement for statement in statements if statement.in_note_form]
    slots = {slot for statement in noted for slot, _ in statement.findings}
    # Items of a list ("sore back, high arches") or sentences ("Bad back. Flat feet."),
    # not one phrase that may name a topic ("high arches and back pain").
    # A plus or a semicolon lists items as a comma does: "back pain + flat feet".
    items = len(noted) > 1 or any(_LIST_MARKS & set(s.texts) for s in noted)
    return len(slots) >= 2 or (len(slots) == 1 and items and any(_tells_of_back_pain(s.texts) for s in noted))


def mentions_the_back(text: str) -> bool:
    """Whether a message names the back at all: "back", "backache", "lower back's sore"."""
    words = {word.text for word in tokenize(text[:MAX_MESSAGE_CHARS])} if isinstance(text, str) else set()
    return bool((_BACKACHE | _BACK) & words)


def tells_of_back_pain(text: str, *, asking: bool = False, own: bool = False) -> bool:
    """Whether a message says that a back hurts: "sore back, help", not "why does my back hurt?".

    With ``asking``, a message may also ask something, and only its statement is read
    ("my back aches a lot, can you check if insoles would help?"). With ``own``, the
    message must speak in the first person ("I", "my"), not in note form.
    """
    words = tokenize(text[:MAX_MESSAGE_CHARS]) if isinstance(text, str) else []
    asked = _question_words(words)
    if asked and not asking:
        return False
    if own and not _FIRST_PERSON & {word.text for word in words}:
        return False
    return _tells_of_back_pain([word.text for i, word in enumerate(words) if i not in asked])


def _tells_of_back_pain(texts: Sequence[str]) -> bool:
    """Whether note-form words tell of a back that hurts: "back pain", "sore back", "backache"."""
    words = set(texts)
    # "My back is not good", "back no good": a negated "good" says it hurts.
    not_good = any(a in ("not", "no", "isn't") and b in _NOT_WELL for a, b in pairwise(texts))
    return bool(_BACKACHE & words) or (bool(_BACK & words) and (bool(_HURTS & words) or not_good))


def _in_the_family(texts: Sequence[str], last: int) -> bool:
    """Whether the words after a statement give it to the person's family: "in the family", "runs in my family"."""
    following = texts[last + 1 : last + 5]
    return "family" in following and ("in" in following[: following.index("family")])


def _sentence_facts(
    message: str, statement: _Statement, listed: bool, today: date, owned_topics: frozenset[str] = frozenset()
) -> List[Fact]:
    words, texts, findings = statement.words, statement.texts, statement.findings
    speaker = bool(_FIRST_PERSON & set(texts)) or (listed and statement.in_note_form)
    found: List[Tuple[str, Union[str, int], int, int]] = []
    # Without "I" or "my", a sentence that names someone else may be about them throughout.
    unnamed = not _OTHER_PEOPLE & _words_between(texts, 0, len(texts))
    retracted = _retracted(words)
    for slot, finding in findings:
        if retracted and retracted[0] <= finding.first < retracted[1]:
            continue  # "I said my arches were normal, but ...": the old answer, quoted
        if _in_the_family(texts, finding.last):
            continue  # "flat feet in the family", "high arches run in my family": relatives', maybe not theirs
        own = speaker or (unnamed and (finding.speaker_implied or _subject_left_out(texts, finding.first)))
        # "I had my legs measured. So leg length difference: yes.": a note on a topic the
        # person has just told of as their own.
        own = own or (slot in owned_topics and statement.in_note_form)
        if own and _is_claim(texts, finding.first, finding.last):
            found.append((slot, finding.value, finding.first, finding.last))
    correction = _correction(words, today)
    if correction is not None and correction[0] not in {f[0] for f in found}:
        found.append(correction)
    facts = []
    for slot, value, first, last in found:
        start, end = words[first].start, words[last].end
        facts.append(Fact(slot, value, start, end, message[start:end]))
    return facts


def extract_facts(text: str, *, today: Optional[date] = None) -> List[Fact]:
    """Find the assessment answers a person states in a message.

    Recognises first-person statements of every assessment slot but the red-flag
    screen: arch type ("I'm flat-footed"), daily load ("I'm a postman"), pain
    duration ("my back has hurt for a month"), an explicit pain score ("pain is about
    6/10"; bare numbers never count here), leg length ("one leg is shorter"), a
    clinician's diagnosis ("a podiatrist said I overpronate"), shoe wear ("my shoes
    wear on the inside") and an insole trial ("I tried insoles for 2 months and they
    made no difference"; its "2 months" is not the pain's duration).

    Args:
        text: the person's message as typed; anything that is not a string gives no facts.
        today: the date "since March" is measured to; defaults to today.

    Returns:
        The facts in the order they occur in the message. A later statement does not
        replace an earlier one; callers that keep one value per slot take the last.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    text = text[:MAX_MESSAGE_CHARS]
    today = today or date.today()
    sentences = [tokenize(sentence.group(0), offset=sentence.start()) for sentence in _SENTENCE.finditer(text)]
    sentences = _with_corrections_run_on(sentences)
    statements = [_statement(words, today) for words in sentences if words]
    listed = _lists_own_facts(statements)
    facts = [
        fact
        for i, statement in enumerate(statements)
        for fact in _sentence_facts(text, statement, listed, today, _topics_told_as_own(statements[:i]))
    ]
    facts += _trial_then_outcome(text, statements, today)
    words = [word for sentence in sentences for word in sentence]
    return _deduplicated(
        sorted(_own_beside_someone_elses(text, words, facts, today), key=lambda fact: (fact.start, -fact.end))
    )


#: Most words a correction may have when it only takes the old answer back: "not years", "not the outside".
_TAKING_BACK_WORDS = 3


def _only_takes_back(words: Sequence[Word]) -> bool:
    """Whether a sentence's correction only says what the answer was not: "Wait, not years."."""
    corrected = [w.text for w in after_last_correction(words) or [] if is_word(w) or w.text[:1].isdigit()]
    return len(corrected) > 1 and corrected[0] == "not" and len(corrected) <= _TAKING_BACK_WORDS


#: Words of a sentence that only announces a correction: "Hold on.", "Oops, sorry!".
_OWNING_UP = frozenset({"wait", "hang", "hold", "on", "oops", "whoops", "sorry", "correction"})


def _only_owns_up(words: Sequence[Word]) -> bool:
    """Whether a sentence only announces that a correction follows: "Hang on.", "Wait!"."""
    texts = {w.text for w in words if is_word(w)}
    return bool(texts) and texts <= _OWNING_UP


def _with_corrections_run_on(sentences: List[List[Word]]) -> List[List[Word]]:
    """``sentences`` with pieces of one statement joined: a correction and the answer after it, an event and its pain.

    A sentence that only says the pain has lasted since ("Been sore since.") is joined
    to the one before it, which dates the event. People type a correction in pieces: "Wait, not years. 5 weeks.", "Hold on. Not months.
    3 weeks." The first piece alone
    would keep the answer taken back, the second alone is a bare duration of nobody's;
    read together they are one correction, as "wait, not years, 5 weeks" is.
    """
    joined: List[List[Word]] = []
    for sentence in sentences:
        # "Slipped on the ice ten days ago. Been sore since.": the pain lasted from the event
        # the sentence before dates, which alone names no pain.
        if joined and (_only_owns_up(joined[-1]) or _only_takes_back(joined[-1]) or says_pain_lasted_since(sentence)):
            joined[-1] = joined[-1] + sentence
        else:
            joined.append(sentence)
    return joined


#: Words opening a sentence that tell what came of the insoles of the sentence before: "They made it worse."
#: A trial verb with its "I" left out goes on with the same trial: "Wore them a month, no help."
_OUTCOME_OPENERS = frozenset(
    {"they", "them", "none", "neither", "nothing", "but", "didn't", "made", "no", "it"}
    | {"wore", "worn", "used", "had", "gave", "stuck", "kept"}
)
_INSOLE_WORDS = _TOPIC_WORDS[INSOLE_HISTORY] | frozenset({"insert", "orthotic", "footbeds", "supports"})


def _trial_then_outcome(text: str, statements: Sequence[_Statement], today: date) -> List[Fact]:
    """An insole trial told in one sentence and its outcome in the next ("I wore arch supports. They hurt.").

    Only the person's own trial ("I", "my") and a next sentence that refers back to it
    ("they", "none", "nothing") and names no insoles of its own are read together.
    """
    facts = []
    for trial, outcome in pairwise(statements):
        texts, following = trial.texts, outcome.texts
        own = _FIRST_PERSON & set(texts) and not _OTHER_PEOPLE & set(texts)
        if not (_INSOLE_WORDS & set(texts) and own) or not following:
            continue
        if any(slot == INSOLE_HISTORY for slot, _ in trial.findings) or _INSOLE_WORDS & set(following):
            continue
        opener = next((word for word in following if word not in _LEADING_FILLERS), "")
        if opener not in _OUTCOME_OPENERS:
            continue
        words = trial.words + outcome.words
        for finding in READERS[INSOLE_HISTORY].find(words, today):
            start, end = words[finding.first].start, words[finding.last].end
            facts.append(Fact(INSOLE_HISTORY, finding.value, start, end, text[start:end]))
    return facts


def _own_beside_someone_elses(text: str, words: List[Word], facts: List[Fact], today: date) -> List[Fact]:
    """Keep the person's own facts where a message (``words``, as its sentences were read) sets them against someone else's.

    "She's the one with the short leg not me. Mine are the same": the clauses about
    someone else give nothing, but they name the question that the person's own clause
    ("mine are the same") answers.
    """
    own, others = own_clauses(words), others_clauses(words)
    if own is None or others is None or _question_words(words):
        return facts
    facts = [fact for fact in facts if not any(fact.start < w.end and w.start < fact.end for w in others)]
    known = {fact.slot for fact in facts}
    named = {word.text for word in words}
    topics = [
        slot
        for slot, reader in READERS.items()
        if slot not in known and (reader.find(others, today) or _TOPIC_WORDS.get(slot, frozenset()) & named)
    ]
    for slot in topics:
        value = read_reply(READERS[slot], Answer(own, False, today))
        if isinstance(value, (str, int)) and slot != PAIN_SEVERITY:
            # The statement is the person's own words after the other person's, where they answer.
            after = [word for word in own if word.start > others[-1].end] if others else []
            start, end = (after or own)[0].start, own[-1].end
            facts.append(Fact(slot, value, start, end, text[start:end]))
    return facts


def _deduplicated(facts: Sequence[Fact]) -> List[Fact]:
    """Keep the first statement of each slot value, and one fact per phrase.

    "I'm a postman so I walk miles" states ``walking`` twice; two readings can cover
    one phrase. Different values for one slot are all kept, in order.
    """
    kept: List[Fact] = []
    for fact in facts:
        if any(
            k.slot == fact.slot and (k.value == fact.value or (k.start < fact.end and fact.start < k.end)) for k in kept
        ):
            continue
        kept.append(fact)
    return kept


_FIRST_CLAUSE = re.compile(r"[,;.!?]|\s(?:and|but)\s", re.IGNORECASE)


def answer_leading_the_message(slot: str, text: str, *, today: Optional[date] = None) -> Optional[Union[str, int]]:
    """The answer to ``slot``'s question that opens a message telling more, or ``None``.

    "About 4 months, and it's usually around a 6 out of 10" answers how long the pain
    has lasted before it gives the score. Only a first clause that states no fact of
    another question counts: "flat feet for years, back sore since last week" opens
    with the feet, whose "years" are no answer about the pain.
    """
    if not isinstance(text, str):
        return None
    today = today or date.today()
    words = tokenize(_FIRST_CLAUSE.split(text[:MAX_MESSAGE_CHARS], maxsplit=1)[0])
    reader = READERS.get(slot)
    if reader is None or any(other.find(words, today) for name, other in READERS.items() if name != slot):
        return None
    value = read_reply(reader, Answer(words, False, today))
    return value if isinstance(value, (str, int)) else None
