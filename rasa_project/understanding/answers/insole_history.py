"""``insole_history``: an insole trial and its effect (``none``, ``helped``, ``no_change``, ``worse``).

"Never tried", "no", "nope never" are ``none``; "made no difference", "no better",
"didn't help" are ``no_change``; "made it worse" is ``worse``; "helped a bit" is
``helped``. When an answer gives several outcomes the most serious counts ("helped
at first then got worse" is ``worse``). "Yes" alone says nothing about the effect
and is no answer. As a fact in a message the outcome must be the person's own trial
("my orthotics helped", "I've never tried insoles"), not an opinion ("I heard
insoles help").
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import List, Optional, Sequence

from rasa_project.clinical.contract import INSOLE_HISTORY
from rasa_project.understanding.answers.clauses import clause_span
from rasa_project.understanding.answers.hedges import without_dont_know
from rasa_project.understanding.answers.options import Mention, Options
from rasa_project.understanding.answers.reading import Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import corrected
from rasa_project.understanding.answers.words import Word, word_set

_TRIED = "tried|used|worn|wore|try|use|wear|had|bought|got|bothered"
_NOT = "didn't|don't|doesn't|haven't|hasn't|wasn't|weren't"
OUTCOMES = Options(
    {
        None: "not|no|never any? worse; didn't make it|things|them any? worse; did not make it|things|them any? worse",
        "none": f"never|haven't|not|didn't ever|yet|really|actually|even|once? {_TRIED}; have|did not ever|actually? {_TRIED};"
        " not yet; on order; just|only ordered|bought; no|never any? insoles|inserts|orthotics|supports ever|before|yet",
        "no_change": "no|zero real|noticeable? difference|change|better|effect|improvement|help|good|use|luck|dice;"
        " not any|much|really? better|different; no|nothing really? different; never really? helped|worked; never made a|any difference;"
        " not much|any difference|change|improvement; not a lot of difference|change; rubbish|hopeless|junk;"
        f" never did anything; {_NOT} really|seem? to? help|helped|work|worked|change|improve;"
        " did|do|does not really|seem? help|work|change|improve; didn't|don't|doesn't do|make anything|much;"
        " did|do|does not do|make anything|much; didn't|don't|doesn't make a|any difference;"
        " did|do|does not make a|any difference;"
        " did|does|do|done|made|make|changed nothing|nowt|zilch|squat|diddly; nothing changed|change|changes;"
        # Regional "nothing at all": "done nowt", "did sod all", "did hee-haw".
        " did|does|do|done sod|naff|bugger|nae|f all; did|does|do|done hee -? haw; same as before; the same; useless|pointless|waste;"
        " still hurts|sore|painful|bad|pain|aching|aches; still the same; same same; stopped working|helping; wore off;"
        # Several pairs tried: "none of them helped", "neither did anything".
        " none|neither of? them|those|these|pair|pairs|one? helped|worked|did|made|changed anything|much;"
        " none|neither of? them|those|these|pair|pairs|one? helped|worked|help|work;"
        " none|neither of? them|those|these|pair|pairs|one? made|changed a|any difference;"
        f" {_NOT}|never notice|noticed|see|feel any|much|a? change|difference|improvement;"
        f" {_NOT}|never notice|noticed|see|feel anything",
        "worse": "worse|worsened|aggravated|aggravates|aggravating; hurt|hurts|hurting more; more pain|painful|sore;"
        " made it hurt; increased the pain;"
        # Second-language English: "my back become more bad", "the pain more bad".
        " more bad|painful; become|became|becomes|go|goes|went bad|badder",
        "helped": "help|helped|helps|helpful|better|improved|improve|worked|works|eased|relief|relieved|good|great;"
        " less pain; made a|the|some difference; improvement; some|slight|an improvement",
    }
)
_BARE_NONE = Options({"none": "no|nope|nah|na|never|none; not yet; no never"})
#: When an answer mentions several outcomes, the most serious one counts.
PRIORITY = ("worse", "no_change", "helped", "none")
_INSOLES = word_set("insole insoles insert inserts orthotic orthotics orthoses orthosis supports footbeds")
#: "I use insoles" tells of a trial in second-language English, as "I used" does.
_EXPERIENCE = word_set("tried used using use wore worn wearing wear bought got had have my made make never gave given")
_VOCABULARY = OUTCOMES.vocabulary | _BARE_NONE.vocabulary
#: Other things people try for back pain, whose outcomes are not the insoles'.
_OTHER_TREATMENTS = word_set(
    "stretches stretching exercises exercise physio physiotherapy massage massages yoga pilates painkillers pills"
    " tablets ibuprofen paracetamol naproxen cream creams heat ice chiropractor osteopath acupuncture injections"
    " brace braces belt corset tens mattress pillow cushion roller"
)
#: After "did", verbs of a trial that happened: "I did try some", "the inserts did help".
_DID_OUTCOMES = word_set("try help work")
#: Nouns "the same" compares when it says nothing of an insole trial.
_MEASURES = word_set("length lengths size sizes height side sides shape way both")
_TRIAL_VERBS = word_set("never tried try used wore bought")
#: Outcomes that, straight after "insoles", are said of insoles in general ("insoles help") ...
_GENERAL_OUTCOMES = word_set("help helps work works")
#: ... unless the insoles are particular ones: "my insoles help", "the inserts work".
_PARTICULAR = word_set("my the these those mine our some they them your")


#: Times of day after "good" that make it a greeting, not an outcome: "Good day", "good morning".
_GREETED = word_set("day morning afternoon evening night")


def _greeting(texts: Sequence[str], mention: Mention) -> bool:
    """Whether an outcome word is a greeting: "Good day, I want to ask about insoles"."""
    following = texts[mention.last + 1] if mention.last + 1 < len(texts) else ""
    return texts[mention.last] in ("good", "great") and following in _GREETED


def _most_serious(values: Sequence[Optional[str]]) -> Optional[str]:
    return next((value for value in PRIORITY if value in values), None)


def read(answer: Answer) -> Reading:
    """The most serious outcome said; a bare "no" or "never" is ``none``."""
    words = corrected(without_dont_know(answer.words), _VOCABULARY)
    texts = [w.text for w in words]
    mentions = [
        m for m in OUTCOMES.mentions(words, correct=False) if not (_of_a_measure(texts, m) or _greeting(texts, m))
    ]
    said = _most_serious([m.value for m in _of_insoles(texts, mentions)])
    return said or ("none" if _BARE_NONE.mentions(words, correct=False) else None)


def _of_insoles(texts: Sequence[str], mentions: Sequence[Mention]) -> List[Mention]:
    """The outcomes not said of another treatment: "the insoles helped, it was the stretches that did nothing"."""
    kept = []
    for mention in mentions:
        start, end = clause_span(texts, mention.first)
        clause = set(texts[start:end])
        if not (_OTHER_TREATMENTS & clause) or _INSOLES & clause:
            kept.append(mention)
    return kept


def _is_opinion(texts: Sequence[str], mention: Mention) -> bool:
    """Whether an outcome is said of insoles in general: "do insoles help", not "my insoles help"."""
    cue = mention.first - 1
    if cue < 0 or texts[cue] not in _INSOLES or texts[mention.first] not in _GENERAL_OUTCOMES:
        return False
    return cue == 0 or texts[cue - 1] not in _PARTICULAR


def _of_a_measure(texts: Sequence[str], mention: Mention) -> bool:
    """Whether "the same" compares a measure, not an effect: "legs are the same length"."""
    following = texts[mention.last + 1] if mention.last + 1 < len(texts) else ""
    return texts[mention.last] == "same" and following in _MEASURES


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """The outcome of the person's own insole trial stated in a sentence."""
    words = corrected(words, _VOCABULARY)
    texts = [w.text for w in words]
    cues = [i for i, text in enumerate(texts) if text in _INSOLES]
    mentions = _of_insoles(texts, OUTCOMES.mentions(words, correct=False))
    outcomes = [
        m
        for m in mentions
        if not (m.negated or _is_opinion(texts, m) or _of_a_measure(texts, m) or _greeting(texts, m))
    ]
    value = _most_serious([m.value for m in outcomes])
    # "Insoles help" is an opinion; "my insoles helped" is an experience.
    # "I did try some last year" and "the insoles did help" are a trial; "try insoles, they help" is advice.
    did_try = any(a == "did" and b in _DID_OUTCOMES for a, b in pairwise(texts))
    # "I already try insoles": a past trial told in the present tense.
    did_try = did_try or any(a in ("i", "already") and b == "try" for a, b in pairwise(texts))
    # "No insoles ever" can only be the person's own history.
    never_had = [m for m in outcomes if m.value == "none" and _INSOLES & set(texts[m.first : m.last + 1])]
    # "The insoles helped": past outcomes of particular insoles are a trial that happened.
    particular = any(c > 0 and texts[c - 1] in _PARTICULAR for c in cues) and any(
        texts[m.last].endswith("ed") for m in outcomes
    )
    if not cues or value is None or not (_EXPERIENCE & set(texts) or did_try or never_had or particular):
        return []
    first, last = min(cues[0], *(m.first for m in outcomes)), max(cues[-1], *(m.last for m in outcomes))
    # The trial starts the statement: "tried some gel insoles ...".
    first = next((i for i in range(max(0, first - 3), first) if texts[i] in _TRIAL_VERBS), first)
    return [Finding(value, first, last, texts[first] in _TRIAL_VERBS or "made" in texts or bool(never_had))]


READER = SlotReader(INSOLE_HISTORY, read, find)
