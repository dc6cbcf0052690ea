"""``red_flag_screen``: the answer to the explicit red-flag question (``clear``, ``positive``, ``NOT_SURE``).

"None of those", "no", "nothing like that" are ``clear``; "yes", "one of them", "the
tingling", "a bit" are ``positive``. A "no" with a real exception ("no, except
numbness", "no but my groin feels numb") is ``positive``; one whose exception is the
back pain itself ("none apart from the back pain") stays ``clear``. Uncertainty
("not sure", "maybe") is ``NOT_SURE``, and so are a "no" that asks something back
("no, but what counts as numbness?") and one that says it does not know ("no idea, I
haven't noticed"): the caller escalates them. A "no" that also
tells of a sign that was clearly in the past and went away ("none now, I had sciatica
years ago but it cleared up") is ``clear``, except for the histories that count
whenever they were (cancer, steroids, osteoporosis, an operation ...): those stay
``positive`` and are asked about. The screen is never a fact volunteered in a message:
red flags have their own detector.
"""

from __future__ import annotations

from datetime import date
from typing import Dict, List, Mapping, Optional, Sequence

from rasa_project.clinical.contract import RED_FLAG_SCREEN, SCREEN_SIGNS
from rasa_project.understanding.answers.clauses import clause_span
from rasa_project.understanding.answers.hedges import says_not_sure, without_dont_know
from rasa_project.understanding.answers.options import Mention, Options
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.words import Word, is_word, tokenize, word_set
from rasa_project.understanding.answers.yes_no import YES_NO

OPTIONS = Options(
    {
        "clear": "none|non|nothing|neither|nope|nah|no|nay; no to all|everything|both|them|those; all no; not any|one;"
        " none|neither of them|those|these; none|neither of the above; nothing like that; nothing of the sort;"
        " i don't|haven't have|had any; not that i know|remember of?; not that i'm|am aware of?;"
        " not now|currently|anymore|today|lately|recently; not at the moment|present; zero|zilch|nada;"
        " negative on|to|for all|everything|those|them|any|each; all negative; all good|fine|ok|okay|normal|clear;"
        " ok|okay|fine|good on|with all|everything|those|them; just|only the|my back? pain|ache|backache",
        # Symptoms named in the reply are a yes; which flag it is, the red-flag detector decides.
        "positive": "one|two|some|few|couple|all|several|both|first|second|third|last of them|those|these;"
        " one|two|some|all|several|both|first|second|third|last one|ones; that one;"
        " tingling|tingly|numb|numbness|weak|weakness|pins|fever|temperature|sweats|bladder|bowel|bowels;"
        " pee|wee|incontinence|incontinent|leaking|leak|accident|fall|fell|crash|cancer|steroids|groin|saddle|wipe;"
        " night|nights|wakes|waking|woke|sweats|sweating|chills|weight|injury|injured|trauma;"
        " can't|don't|didn't|couldn't|cannot feel|control|hold|stop|pee|wee|empty",
    }
)
#: A sign that went away: "it cleared up", "not any more", "long gone".
_RESOLVED = Options(
    {
        "resolved": "went|gone|go|goes away; cleared|clears|clear up; cleared|resolved|healed|recovered|disappeared;"
        " got|get|gotten better; all better|gone|fine|good; long gone; gone now; it's|its gone;"
        " fine|better|okay|ok|good now; no longer; not any more|longer; anymore; any more;"
        " it|that|they|which stopped|passed|settled|ended; not|never since; none since; used to"
    }
)
#: Histories that are red flags however long ago they were (spec section 2).
_LASTING = Options(
    {
        "lasting": "cancer*|tumour*|tumor*|chemo*|radiotherapy|radiation|lymphoma|leuk*|myeloma|carcinoma|melanoma;"
        " metasta*|steroid*|prednisolone|prednisone|osteoporosis|osteopenia|transplant*|hiv|immun*|inject*;"
        " drugs|operation|surgery|fracture*|biopsy|spinal; all clear"
    }
)
_SENTENCE_ENDS = word_set(". ! ? ;")
_EXCEPTIONS = Options({"except": "but|except|besides|although|though|however|only; apart|aside from; other than"})
#: Words that deny what follows in their clause ("no problems with my bladder"). "Can't" and
#: "don't" are left out: "I can't control my bladder" is the symptom itself.
_DENIALS = word_set("no not never without none neither nor haven't hasn't hadn't")
#: Words an exception may have and still be only the back pain: "none apart from the back pain".
_ONLY_THE_PAIN = word_set(
    "the my this back pain ache backache lower itself just it that sore stiff is bad being a bit little achy aching"
    " stiffness tight tightness hurts hurting in morning mornings evening evenings when i bend bending sit sitting"
    " stand standing lift lifting move moving"
)


#: The screen's items in the words people point at them with ("yes, the legs one"), by
#: flag: "legs" is the both-legs item, "leg" the one-leg item, "getting worse" the
#: worsening weakness of either.
SCREEN_ITEMS = Options(
    {
        "bladder_bowel_dysfunction": "bladder|bladders|bowel|bowels|pee|peeing|wee|weeing|urine|poo|pooing|toilet|loo;"
        " continence|incontinence|incontinent|leak|leaking|leaks",
        "saddle_anaesthesia": "saddle|groin|genitals|genital|privates|bottom|bum|buttocks|wipe|wiping|paper;"
        " down there|below; between my|the? legs",
        "bilateral_or_progressive_leg_symptoms": "legs; both sides; getting|got worse|weaker",
        "radiating_leg_symptoms": "leg|sciatica; one side",
        "severe_night_pain": "night|nights|nighttime|wakes|waking|woke|constant",
        "systemic_symptoms": "fever|fevers|temperature|temp|sweats|sweating|chills|weight",
        "significant_trauma": "fall|fell|accident|injury|injured|crash|trauma",
        "cancer_history": "cancer|tumour|tumor|chemo|chemotherapy",
        "infection_risk": "immune|immunity|steroids|steroid|transplant|injecting|drugs|operation|injection|infection;"
        " surgery|chemo|chemotherapy",
        "fracture_risk": "osteoporosis|brittle|strain|70|seventy",
    }
)


#: Symptom words that fit several items: "the numbness one" may be the saddle, both legs
#: or one leg. The reader of the screen's answer takes the most serious of them.
SHARED_SYMPTOMS: Mapping[str, Sequence[str]] = {
    "numbness": ("saddle_anaesthesia", "bilateral_or_progressive_leg_symptoms", "radiating_leg_symptoms"),
    "tingling": ("bilateral_or_progressive_leg_symptoms", "radiating_leg_symptoms"),
}
_SHARED_WORDS = Options(
    {
        "numbness": "numb|numbness|numbed|dead",
        "tingling": "tingling|tingly|tingle|tingles|pins|needles|weak|weakness|weaker",
    }
)
#: Items pointed at by their place in the list ("just the second one"), in the screen's
#: order (the order of ``SCREEN_SIGNS``, which the screen lists).
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ITEM = "one|ones|item|point|thing|option|bullet|line"
_PLACE_PHRASES: Dict[Optional[str], str] = {
    str(place): f"{word} {_ITEM}; {place + 1} st|nd|rd|th {_ITEM}; number|item|point {place + 1}|{name}"
    for place, (word, name) in enumerate(zip(_ORDINALS, _NUMBERS, strict=True))
}
_LAST_PLACE = str(len(SCREEN_SIGNS) - 1)
_PLACE_PHRASES[_LAST_PLACE] = f"{_PLACE_PHRASES.get(_LAST_PLACE, '')}; last {_ITEM}".strip("; ")
_PLACES = Options(_PLACE_PHRASES)


def signs_named(text: str) -> List[str]:
    """The flags of the screen items a reply points at ("yeah, the legs thing"), not denied, in text order.

    A reply to the screen often names an item only by its topic, which on its own is no
    symptom the red-flag detector would find ("the bladder one", "the legs").
    """
    return _items_named(tokenize(text))


#: "Like I said", "as I told you": the reply points back at what the person already said.
_POINTING_BACK = Options(
    {
        "back": "like|as i said|mentioned; like|as i told you; i|i've said|mentioned; i|i've told you; i|i've already said"
    }
)
_REASSURANCES = word_set("fine ok okay good normal alright grand great perfect")


def points_back_at_an_item(text: str) -> bool:
    """Whether a reply to the screen names an item and points back to it: "the legs, as I told you"."""
    return _points_back_at_an_item(tokenize(text))


def _points_back_at_an_item(words: Sequence[Word]) -> bool:
    """Whether a reply names an item of the list and points back to it: "my legs, like I said".

    Naming a topic alone ("legs ok") says nothing of a sign; pointing back at what was
    said before it is a yes to that item.
    """
    texts = {w.text for w in words}
    return bool(_items_named(words) and _POINTING_BACK.mentions(words)) and not texts & _REASSURANCES


def _items_named(words: Sequence[Word]) -> List[str]:
    texts = [w.text for w in words]
    mentions = [
        *[(m.first, [m.value]) for m in SCREEN_ITEMS.mentions(words) if m.value],
        *[(m.first, list(SHARED_SYMPTOMS[m.value])) for m in _SHARED_WORDS.mentions(words) if m.value],
        *[
            (m.first, [SCREEN_SIGNS[int(m.value)]])
            for m in _PLACES.mentions(words)
            if m.value and int(m.value) < len(SCREEN_SIGNS)
        ],
    ]
    named = [flag for first, flags in sorted(mentions) if not _denied(texts, first) for flag in flags]
    return list(dict.fromkeys(named))


def points_at_items(text: str) -> bool:
    """Whether a reply to the screen, with no "yes" or "no", points at items of it.

    "The legs thing only", "just the second one", "the numbness one", "bladder": the
    person picks items of the list instead of saying yes. A reply that reassures about
    what it names ("legs ok"), asks about it ("the bladder one?") or denies it is no
    such pick.
    """
    words = tokenize(text)
    texts = {w.text for w in words}
    return bool(_items_named(words)) and not texts & _REASSURANCES and "?" not in text


def _exception_is_real(words: Sequence[Word]) -> bool:
    """Whether words after "but", "except" ... name something other than the back pain."""
    marks = _EXCEPTIONS.mentions(words)
    return bool(marks) and bool({w.text for w in words[marks[0].last + 1 :] if is_word(w)} - _ONLY_THE_PAIN)


def names_an_exception(text: str) -> bool:
    """Whether a reply to the screen makes an exception: "no, apart from ...", "none except ..."."""
    return bool(_EXCEPTIONS.mentions(tokenize(text)))


def _denied(texts: Sequence[str], index: int) -> bool:
    start, _ = clause_span(texts, index)
    return bool(_DENIALS & set(texts[start:index])) or "don't have" in " ".join(texts[start:index])


def _resolved(texts: Sequence[str], resolutions: Sequence[Mention], index: int) -> bool:
    """Whether the sign at ``index`` is told as gone: its clause or the rest of its sentence says it went away."""
    start, _ = clause_span(texts, index)
    end = next((i for i in range(index, len(texts)) if texts[i] in _SENTENCE_ENDS), len(texts))
    return any(start <= m.first < end and m.first != index and not m.negated for m in resolutions)


def _only_past_signs(words: Sequence[Word], positive: Sequence[Mention]) -> bool:
    """Whether every sign named is past and resolved, and none is a history that always counts."""
    if not positive or _LASTING.mentions(words):
        return False
    texts = [w.text for w in words]
    resolutions = _RESOLVED.mentions(words)
    return all(_resolved(texts, resolutions, m.first) for m in positive)


def read(answer: Answer) -> Reading:
    """``clear``, ``positive`` or ``NOT_SURE`` as described above, or ``None`` when it is no answer."""
    words = without_dont_know(answer.words)
    texts = [w.text for w in words]
    # "No numbness or tingling" names symptoms only to deny them.
    options = [m for m in OPTIONS.mentions(words) if m.value == "clear" or not _denied(texts, m.first)]
    # "I have had none of those", "I can confirm: none": a yes whose own clause goes on to
    # say "none" is that statement's verb, not a yes to the screen.
    clears = [m.first for m in options if m.value == "clear"]
    mentions = [
        m
        for m in YES_NO.mentions(words)
        if not (m.negated and m.value == "yes")
        and not (m.value == "yes" and any(m.first < c < clause_span(texts, m.first)[1] for c in clears))
    ]
    mentions += options
    said = {"clear" if m.value == "no" else "positive" if m.value == "yes" else m.value for m in mentions}
    past = _only_past_signs(words, [m for m in mentions if m.value in ("yes", "positive")])
    if "clear" in said and past:
        # "None now. I had sciatica years ago but it went away": nothing current is left.
        said = {"clear"}
    if said == {"clear"}:
        if _exception_is_real(answer.words) and not past:
            return "positive"
        # "Not sure, I haven't paid attention": a "no" that says it does not know is
        # uncertainty about the warning signs, which is asked about, never cleared.
        unsure = len(words) < len(answer.words)
        return NOT_SURE if answer.asked_back or unsure else "clear"
    if "positive" in said:
        return "positive"
    if not said and not answer.asked_back and _points_back_at_an_item(words):
        return "positive"
    return NOT_SURE if said or says_not_sure(answer.words) else None


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """No facts: the screen is only ever answered when asked."""
    return []


READER = SlotReader(RED_FLAG_SCREEN, read, find)
