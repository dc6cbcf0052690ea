"""``pain_duration``: how long the back pain has lasted (``acute``, ``subacute``, ``chronic``).

Any duration :mod:`durations` can read is an answer; several give the longest ("on
and off for years, this flare 2 weeks" is chronic). As a fact in a message, a
duration needs a lead ("for", "since", "over the last", "it's been"), "ago", or the
pain itself straight before or after it, as people type it ("back's been sore about
2 months", "had it a good few weeks", "going on 3 months", "6 weeks of back pain"),
and a clause about the pain, not about insoles, a job or an age ("tried insoles for
2 months", "been a postman for 10 years"); a bare "for weeks" or "for months" is too
vague to be a fact (it may fall either side of a category's boundary). The back and its pain are the person's
own unless the sentence says whose they are.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import List, Optional, Sequence

from rasa_project.clinical.contract import PAIN_DURATION
from rasa_project.understanding.answers import daily_load
from rasa_project.understanding.answers.clauses import after_last_correction, clause_span, is_negated
from rasa_project.understanding.answers.durations import Duration, duration_category, find_durations, longest_weeks
from rasa_project.understanding.answers.numbers import find_numbers
from rasa_project.understanding.answers.options import Options
from rasa_project.understanding.answers.reading import NOT_SURE, Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word, word_set

#: Words that lead a duration, read as meant when misspelt: "sinse 2 weeks", "snce March".
_LEADS = Vocabulary(word_set("since for from last past been"))
_LEAD_HEDGES = word_set(
    "about around approximately approx roughly like maybe perhaps probably almost nearly nearer closer the a good best"
    " part of"
    # "Sore back bout 3 weeks", "abt 2 months", "round 6 weeks": "about" and "around" clipped, as typed on a phone.
    " bout abt round"
)
#: Hedges that, before a statement, may also open a guess or a wish ("maybe I have flat feet"):
#: straight before a duration they belong to it ("aching, maybe 3 weeks now").
_GUESSES = word_set("maybe perhaps")
#: "Paining" as in "my waist has been paining me for 3 weeks" (West African English).
_PAIN = word_set("pain painful paining hurt hurts hurting ache aches aching ached sore stiff back it it's this bad")
#: The pain named straight before its duration: "sore about 2 months", "back pain 3 weeks",
#: "playing up a couple of months", "going on 3 months".
_PAIN_BEFORE = word_set(
    "pain pains painful hurt hurts hurting ache aches aching ached sore stiff bad backache niggling up on"
)
#: Words before "back" that make it the back, not "ago": "my back", "the low back".
_BACK_BEFORE = word_set("my lower low upper middle mid bad sore the")
#: "Had it", "had this" before a duration: the pain was named earlier.
_HAD = word_set("had have having got")
#: After a duration, words that make it the pain's: "6 weeks of back pain", "3 weeks back" (ago).
_PAIN_AFTER = word_set("pain pains aching ache soreness agony trouble this it")
#: Words that make a pain statement the person's own without "I": "it started 3 weeks ago",
#: "back's been sore about 2 months".
_IMPLIED = word_set("started began begun it's back backache lower pain ache")
#: A clause that only says something has lasted, its subject left out: "been going on since August".
_GOING_ON = word_set("been going on ongoing happening lasted lasting like this that way it it's has so now")
_LASTING = word_set("been going ongoing happening lasted lasting")
#: Words that stand for the pain only when the clause says it began or hurt: "it started 3 weeks ago".
_PRONOUNS = word_set("it it's this")
_BEGAN = word_set("started began begun start starting came kicked flared went happened did")
#: Words that may open a clause before its verb: "and then started 3 weeks ago".
_CLAUSE_FILLERS = word_set("and so then but well oh um it just only")
#: "Since this afternoon I've got pins and needles in both legs": how long another
#: symptom has lasted, not the back pain, unless the clause names the back's pain too.
_OTHER_SYMPTOMS = word_set(
    "pins needles tingling tingly numb numbness weak weakness"
    # "Since this morning I can't pee, it won't start": how long a bladder or bowel
    # trouble has lasted, told after the result, would otherwise change the pain's.
    " pee peeing wee weeing urine urinate urinating bladder bowel bowels poo pooing incontinent incontinence"
    # "A temperature on and off this past week": a fever or a cough lasts on its own
    # and is asked about in the safety screen; its span is not the back pain's.
    " temperature temperatures fever fevers feverish cough coughing chills sweats"
)
_NOT_THE_PAIN = (
    word_set(
        "insole insoles insert inserts orthotic orthotics shoes trainers boots job worked working lived living married"
        " retired old aged pregnant"
    )
    | _OTHER_SYMPTOMS
)
#: Words that name the pain itself, not only refer to it ("it", "this").
_PAIN_WORDS = word_set(
    "pain pains painful paining hurt hurts hurting ache aches aching ached sore stiff backache killing agony bad niggling"
    " grumbling twinging"
)
#: The pain named as a thing, which "and" may join to another symptom sharing its duration:
#: "back pain and numbness in my leg for 4 weeks".
_PAIN_NOUNS = word_set("pain pains ache aches backache soreness stiffness")


#: Lengths too vague to place: "a good while", "quite some time". The rough-guess help
#: asks for a number instead of leaving the question unanswered.
_VAGUE_LENGTHS = Options({"vague": "while; some time"})
#: Units a corrected bare number takes over from the answer it corrects.
_UNITS = word_set("day days week weeks wk wks fortnight fortnights month months year years yr yrs")
#: Words after a duration that say what happened when the pain began: "... ago when I changed jobs".
_DATING = word_set("when after because")
_CATEGORIES = ("acute", "subacute", "chronic")
#: An earlier episode that has ended: "I had sciatica years ago but it cleared up".
_RESOLVED = Options({"resolved": "cleared|clear up; went|gone|go away; resolved; got better; healed; recovered"})
_RETURNED = Options({"returned": "came|comes|coming back; returned; again; recurred"})
_SENTENCE_ENDS = frozenset({".", "!", ";"})


def read(answer: Answer) -> Reading:
    """The category of the longest duration said; ``NOT_SURE`` for "a while"; else ``None``.

    When the reply's first sentence gives a duration, that is the answer, and later
    sentences add only durations they state as the pain's ("about 2 months. I had
    sciatica years ago but it cleared up" is the 2 months).
    """
    words = _without_ended_episodes(_unit_carried_over(list(answer.words), answer.today))
    words = _without_taken_back(words, answer.today)
    end = next((i for i, word in enumerate(words) if word.text in _SENTENCE_ENDS), len(words))
    weeks = longest_weeks(words[:end], answer.today)
    if weeks is not None:
        said = [duration_category(weeks), *(str(f.value) for f in find(words[end + 1 :], answer.today))]
        return max(said, key=_CATEGORIES.index)
    weeks = longest_weeks(words, answer.today)
    if weeks is not None:
        return duration_category(weeks)
    return NOT_SURE if _VAGUE_LENGTHS.mentions(words, correct=False) else None


def _without_ended_episodes(words: List[Word]) -> List[Word]:
    """``words`` without a sentence's account of an earlier episode that has ended.

    "I had sciatica ten years ago but it cleared up, this is different": the ten years
    date the old episode, not this pain. Only a dated ("... ago") episode that did not
    come back is left out.
    """
    texts = [w.text for w in words]
    left_out: set[int] = set()
    start = 0
    for end in [*(i for i, t in enumerate(texts) if t in _SENTENCE_ENDS), len(texts)]:
        sentence = words[start:end]
        ended = _RESOLVED.mentions(sentence, correct=False)
        if ended and "ago" in texts[start : start + ended[0].first] and not _RETURNED.mentions(sentence, correct=False):
            left_out.update(range(start, start + ended[0].last + 1))
        start = end + 1
    return [w for i, w in enumerate(words) if i not in left_out]


#: Words between a "not" and the duration it takes back: "not for years", "hasn't been 3 months".
_TAKEN_BACK_GAP = word_set("for been be even just like quite really")


def _taken_back(texts: Sequence[str], first: int) -> bool:
    """Whether the duration starting at word ``first`` is said not to be the length: "not years", "isn't 3 months"."""
    i = first - 1
    while i >= 0 and texts[i] in _TAKEN_BACK_GAP:
        i -= 1
    return i >= 0 and (texts[i] == "not" or texts[i].endswith("n't"))


def _without_taken_back(words: List[Word], today: date) -> List[Word]:
    """``words`` without a duration said not to be the length, when another one is: "not years, 5 weeks".

    A correction often names the old answer with "not" before or after the new one; the
    longest duration would otherwise be the one taken back. A duration negated on its
    own ("not even 2 weeks") is still the estimate, and a negation further off says
    something else ("haven't been right for 3 months").
    """
    texts = [w.text for w in words]
    durations = find_durations(words, today)
    taken_back = [d for d in durations if _taken_back(texts, d.first)]
    if not taken_back or len(taken_back) == len(durations):
        return words
    left_out = {i for d in taken_back for i in range(d.first, d.last + 1)}
    return [w for i, w in enumerate(words) if i not in left_out]


def _unit_carried_over(words: List[Word], today: date) -> List[Word]:
    """A corrected bare number with the unit it replaces: "2 months - no, more like 4" is 4 months.

    Anything else is returned as it is.
    """
    correction = after_last_correction(words)
    if not correction or find_durations(correction, today) or len(find_numbers(correction)) != 1:
        return words
    earlier = find_durations(words[: len(words) - len(correction)], today)
    if not earlier or words[earlier[-1].last].text not in _UNITS:
        return words
    unit = words[earlier[-1].last]
    last = correction[-1]
    return [*correction, Word(unit.text, last.end, last.end)]


def _pain_named_around(texts: Sequence[str], lead: int, last: int) -> bool:
    """Whether the pain is named right before a duration (``lead`` is the word before it) or right after it."""
    if lead >= 0 and (
        texts[lead] in _PAIN_BEFORE
        or (lead > 0 and texts[lead - 1] == "been")  # "been grumbling about six weeks"
        or (texts[lead] in ("it", "this") and lead > 0 and texts[lead - 1] in _HAD)
        # "Pain in the low back 6 months", "upper back 3 weeks": the back named with its part.
        or (texts[lead] == "back" and lead > 0 and texts[lead - 1] in _BACK_BEFORE)
        # "Pain is 2 years", "the ache was 3 months": the pain, then how long it is.
        or (texts[lead] in ("is", "was") and lead > 0 and texts[lead - 1] in _PAIN_BEFORE | {"back"})
    ):
        return True
    after = texts[last + 1 : last + 5]
    return after[:1] == ["of"] and bool(_PAIN_AFTER & set(after[1:]))


def _alone_in_a_list(words: Sequence[Word], start: int, end: int, duration: Duration) -> bool:
    """Whether a duration is a whole item of a comma-separated list: ", about 4 weeks,"."""
    texts = [w.text for w in words]
    item = set(texts[start : duration.first]) | set(texts[duration.last + 1 : end])
    separated = start > 0 and texts[start - 1] == "," and (end == len(texts) or texts[end] in (",", "."))
    # "Back pain, 7/10, 3 weeks" but not "tried insoles, 3 months" or "bus driver, 10 years":
    # a duration straight after a trial or a job is theirs.
    before = words[clause_span(texts, start - 2)[0] : start - 1] if start > 1 else []
    theirs = _NOT_THE_PAIN & {w.text for w in before} or any(
        jobs.mentions(before) for jobs in (daily_load.OCCUPATIONS, daily_load.TRADES)
    )
    return separated and not item - _LEAD_HEDGES - {"now", "or", "so"} and not theirs


def _gives_a_score(texts: Sequence[str]) -> bool:
    """Whether a sentence gives a pain score out of ten ("6/10", "7 out of 10"): a note about the pain."""
    return any(texts[i : i + 2] == ["/", "10"] or texts[i : i + 3] == ["out", "of", "10"] for i in range(1, len(texts)))


def _only_lasting(texts: Sequence[str]) -> bool:
    """Whether the words before a duration only say that something has lasted: "been going on", "ongoing"."""
    said = set(texts) - _LEAD_HEDGES - {"for", "since", "over", ","}
    return bool(said & _LASTING) and said <= _GOING_ON


def _dated_by_a_birth(texts: Sequence[str]) -> bool:
    """Whether a sentence says the pain began when someone was born: "it started when she was born"."""
    return "born" in texts and bool(_BEGAN & set(texts))


def _about_something_else(words: Sequence[Word]) -> bool:
    """Whether a sentence names something else that may last: a trial of insoles, a job, an age."""
    if _NOT_THE_PAIN & {w.text for w in words}:
        return True
    return any(jobs.mentions(words) for jobs in (daily_load.OCCUPATIONS, daily_load.TRADES))


def _about_the_pain(texts: Sequence[str]) -> bool:
    """Whether a clause names the pain: a pain word, or "had it" / "had this"."""
    had_it = any(a in _HAD and b in ("it", "this") for a, b in pairwise(texts))
    # "It started way before": the pain the conversation is about, begun.
    had_it = had_it or any(a in _PRONOUNS and b in _BEGAN for a, b in pairwise(texts))
    return had_it or bool(_PAIN_BEFORE & set(texts) - {"up", "on"}) or _names_the_back(texts)


#: Words after which "back" means "ago": "a few years back", "a while back".
_AGO_BEFORE = _UNITS | word_set("while bit time")


def _names_the_back(texts: Sequence[str]) -> bool:
    """Whether words name the back, not "back" as "ago" ("had insoles a few years back")."""
    return any(text == "back" and not (i > 0 and texts[i - 1] in _AGO_BEFORE) for i, text in enumerate(texts))


def _began_before(texts: Sequence[str], start: int, lead: int) -> bool:
    """Whether the clause starting at word ``start`` opens with a verb of beginning straight before the duration.

    ``lead`` is the word before the duration (its hedges skipped): "started a couple of
    months back", "and then began 3 weeks ago".
    """
    while start < lead and texts[start] in _CLAUSE_FILLERS:
        start += 1
    return lead >= 0 and start == lead and texts[lead] in _BEGAN


def _then_only_the_pain(texts: Sequence[str], after: int) -> bool:
    """Whether the sentence ends at word ``after`` or goes on about the back's pain and nothing that may have begun.

    "Started 3 weeks ago, lower back mostly" goes on about the pain; "started 2 weeks
    ago, no help" may tell of a trial of something begun then.
    """
    rest = texts[after : next((i for i in range(after, len(texts)) if texts[i] in _SENTENCE_ENDS), len(texts))]
    named = bool(_PAIN_WORDS & set(rest)) or _names_the_back(rest)
    return (not rest or named) and not _NOT_THE_PAIN & set(texts)


def _names_something_else(clause: set[str]) -> bool:
    """Whether a clause names something else that lasts: a trial, a job, an age, or another symptom alone.

    Another symptom beside the back's pain shares its duration: "tingling down my leg
    for 3 weeks along with the back pain".
    """
    others = clause & _NOT_THE_PAIN
    if others and others <= _OTHER_SYMPTOMS:
        return not (("back" in clause and bool(clause & _PAIN_WORDS)) or "backache" in clause)
    return bool(others)


def _pain_ever_since(texts: Sequence[str], last: int) -> bool:
    """Whether the sentence after an event's date (ending at word ``last``) says the pain has lasted since.

    "Three weeks ago I fell asleep on the sofa and my back has ached ever since",
    "... ago I moved house, sore since then".
    """
    after = texts[last + 1 :]
    end = next((i for i, t in enumerate(after) if t in _SENTENCE_ENDS), len(after))
    said = _lasted_since(after[:end])
    if said is not None:
        return said
    # "... ten days ago and landed on my back. Been sore since.": a short sentence after
    # the event's, its subject left out, says the pain has lasted from it.
    following = after[end + 1 :]
    following = following[: next((i for i, t in enumerate(following) if t in _SENTENCE_ENDS), len(following))]
    return len(following) <= SINCE_SENTENCE_WORDS and bool(_lasted_since(following))


#: Most words of a sentence that only says the pain has lasted since: "It's been sore ever since".
SINCE_SENTENCE_WORDS = 6


def _lasted_since(words: Sequence[str]) -> Optional[bool]:
    """Whether words ending in "since" ("sore since then") name the pain; ``None`` when no such "since" is said."""
    for i, text in enumerate(words):
        if text == "since" and words[i + 1 : i + 2] in ([], ["then"], ["that"], [","], ["!"]):
            return bool(set(words[:i]) & _PAIN_WORDS)
    return None


def says_pain_lasted_since(words: Sequence[Word]) -> bool:
    """Whether a short sentence only says the pain has lasted since something told before: "Been sore since."."""
    texts = [w.text for w in words if w.text not in _SENTENCE_ENDS]
    return len(texts) <= SINCE_SENTENCE_WORDS and bool(_lasted_since(texts))


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """Durations of the pain stated in a sentence."""
    words = corrected(words, _LEADS)
    texts = [w.text for w in words]
    found = []
    for duration in find_durations(words, today):
        if duration.vague:
            continue  # "bad for months" may be 2 months or 10: the question will ask
        lead = duration.first - 1
        while lead >= 0 and texts[lead] in _LEAD_HEDGES:
            lead -= 1
        # "From 3 weeks": how a "since" or a "for" is said in several languages.
        led = texts[duration.first] in ("since", "for") or (
            lead >= 0 and texts[lead] in ("for", "since", "last", "from")
        )
        led = led or (lead >= 0 and texts[lead] in ("past", "been"))
        # "This past week or so", "these last few weeks": a span that runs up to now. Its
        # "this" is the span's, not the pain's "this" ("it's been like this 3 weeks"), so
        # the clause must still name what lasted.
        spanned = lead >= 0 and texts[lead] in ("this", "these") and texts[duration.first] in ("past", "last")
        led = led or spanned
        # "It is about five months now": "it" is the pain, measured up to now.
        up_to_now = texts[duration.last + 1 : duration.last + 2] == ["now"]
        it_is = lead >= 0 and (texts[lead] == "it's" or texts[lead - 1 : lead + 1] == ["it", "is"])
        led = led or (up_to_now and it_is)
        # "It started the week she was born, she's 4 months old": her age is how long it has lasted.
        aged_since_birth = texts[duration.last + 1 : duration.last + 2] == ["old"] and _dated_by_a_birth(texts)
        # "aching over the last month": a span up to now, as "for".
        led = led or (lead >= 0 and texts[lead] in ("over", "in", "during") and texts[duration.first] == "the")
        led = led or _pain_named_around(texts, lead, duration.last)
        # "Since 6 months back pains": a "back" that a pain word follows is the back, not "ago".
        back_named = bool(_PAIN_NOUNS & set(texts[duration.last + 2 : duration.last + 3]))
        ago = texts[duration.last + 1 : duration.last + 2] in (["ago"], ["now"]) or (
            texts[duration.last + 1 : duration.last + 2] == ["back"] and not back_named
        )
        start, end = clause_span(texts, duration.first, and_breaks=True)
        # "Sore since I came off my bike last week": a named time after "since" and an
        # event dates the start of the pain.
        led = led or (duration.named and "since" in texts[start : duration.first])
        # "It started two months ago when I began a new job": what follows the "when" dates
        # the start; a job named there is not what lasted.
        end = next((i for i in range(duration.last + 1, end) if texts[i] in _DATING), end)
        # The "back" of "3 weeks back" means "ago", not the back.
        clause = {
            texts[i]
            for i in range(start, end)
            if not (i == duration.last + 1 and texts[i] == "back" and not back_named) and not (spanned and i == lead)
        }
        if lead > 0 and texts[lead] in (",", ":", "-") and texts[lead - 1] in _PAIN_BEFORE | {"back"}:
            # Note form, "back pain, 3 months": the pain is the clause before.
            led, clause = True, clause | set(texts[clause_span(texts, lead - 1)[0] : lead])
        elif start > 1 and texts[start - 1] == "," and _about_the_pain(texts[clause_span(texts, start - 2)[0] : start]):
            # "I've had it a lot longer than that, since the spring": the clause before names it;
            # "pain 7/10, about 6 months, ...": a list item of its own needs no lead.
            clause |= _PAIN
            led = led or _alone_in_a_list(words, start, end, duration)
        elif _alone_in_a_list(words, start, end, duration) and (_about_the_pain(texts) or _gives_a_score(texts)):
            # "Lower back pain, 7/10, about 4 weeks, flat feet": a list about the pain, or
            # with its score ("high arches, 5/10, 2 months").
            led, clause = True, clause | _PAIN
        if not clause & _PAIN and _only_lasting(texts[start : duration.first]):
            # "Pain level 6, high arches, been going on since August": what has lasted is the
            # pain the sentence is about.
            # "Flat feet, been about 3 weeks": with nothing else in the sentence that could
            # have lasted (a trial, a job), it is the pain the conversation is about.
            named = _about_the_pain(texts) or _gives_a_score(texts) or not _about_something_else(words)
            clause |= _PAIN if named else set()
        if aged_since_birth:
            led, clause = True, clause | _PAIN
        if ago and _began_before(texts, start, lead) and _then_only_the_pain(texts, duration.last + 2):
            # "Started a couple of months back", "began about 3 weeks ago": with its subject
            # left out and nothing else named that could have begun, what began is the pain.
            clause |= _PAIN
        # "Two days ago I lifted a box and my back has hurt ever since": the event is dated,
        # and the pain has lasted from it, whatever else the event's clause names.
        dated = texts[duration.last + 1 : duration.last + 2] == ["ago"] or duration.named
        ever_since = dated and _pain_ever_since(
            texts, duration.last + (texts[duration.last + 1 : duration.last + 2] == ["ago"])
        )
        if ever_since:
            led, clause = True, clause | _PAIN
        # "It's been like this about 2 months": only lasting, said straight before how long.
        led = led or _only_lasting(texts[start : duration.first])
        # "been a postman for 10 years": "been" before an article is a role, not the pain.
        role = any(texts[i] == "been" and texts[i + 1] in ("a", "an") for i in range(start, end - 1))
        # "Back pain and numbness in my leg for 4 weeks": the pain, joined by "and", shares the duration.
        joined = start > 1 and texts[start - 1] == "and" and texts[start - 2] in _PAIN_NOUNS
        clause |= {"back"} | _PAIN_NOUNS if joined else set()
        something_else = _names_something_else(clause) and not (aged_since_birth or ever_since)
        if not (led or ago) or not clause & _PAIN or something_else or role:
            continue
        if ago and not led and not clause & (_PAIN - _PRONOUNS | _BEGAN):
            continue  # "a physio measured it years ago": when something else happened to "it"
        if is_negated(texts, duration.first):
            continue
        first = lead if lead >= 0 and texts[lead] in ("for", "since", "last", "past", "from") else duration.first
        if _GUESSES & set(texts[lead + 1 : duration.first]):
            first = lead + 1  # "maybe 3 weeks now": the guess is part of the statement, not a wish before it
        while first > start and texts[first - 1] in ("over", "in", "the", "these", "this"):
            first -= 1
        following = texts[duration.last + 1 : duration.last + 2]
        last = duration.last + (following == ["ago"] or (following == ["back"] and not back_named))
        # "Lower back, sore, 2 weeks": the back names the person's own pain.
        implied = bool(clause & _IMPLIED) or "back" in texts or (up_to_now and it_is) or aged_since_birth
        found.append(Finding(duration_category(duration.weeks), first, last, implied))
    return found


READER = SlotReader(PAIN_DURATION, read, find)
