"""``daily_load``: what most of the day is spent doing (``standing``, ``walking``, ``sitting``, ``mixed``).

Activities ("standng mostly", "on my feet"), places ("desk", "till") and jobs
("postman", "hairdresser", "nurse") are answers. Two activities are ``mixed`` when
one is sitting ("half sitting half walking") or when the person says so ("bit of
both", "depends on the day"); standing and walking are both time on one's feet and
read as ``walking``, the more specific. Running counts as walking. The question is
what *most* of the day is spent doing, so an activity marked as the main one
("standing mainly, bit of walking", "sat at the desk more than out walking") wins,
one marked as minor or as an exception ("some walking", "apart from the running")
drops out, and a main activity said outright wins over what a job suggests
("dental nurse, standing most of the day"). As a fact in a message a job must be the person's ("I'm a nurse", "I work as a cashier") and an
activity a habit ("I stand all day", "I walk a lot for work"); past jobs ("retired
teacher", "ex-postman") give nothing.

Some jobs say nothing of the day by themselves and are left out: a courier may
drive all day or walk door to door, a farmer may be on a tractor or on foot.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise
from typing import Dict, List, Optional, Sequence, Set, Tuple

from rasa_project.clinical.contract import DAILY_LOAD
from rasa_project.understanding.answers.clauses import CLAUSE_BREAKS, clause_span
from rasa_project.understanding.answers.hedges import without_dont_know
from rasa_project.understanding.answers.numbers import find_numbers
from rasa_project.understanding.answers.options import Mention, Options
from rasa_project.understanding.answers.reading import Answer, Finding, Reading, SlotReader
from rasa_project.understanding.answers.typos import Vocabulary, corrected
from rasa_project.understanding.answers.words import Word, word_set

_UP_AND_DOWN = "up and down"
ACTIVITIES = Options(
    {
        "standing": "stand|stands|standing|stood; on my|me|your|our feet",
        "walking": "walk|walks|walking|walked|hike|hiking|run|runs|running|jog|jogging|delivering|patrolling;"
        " on the move|go; on foot; back and forth; moving|walking around|about; nursing|cleaning;"
        # "Up and down the ward" walks it; "up and down all day" (from a chair) is a mix.
        " up and down the|stairs|ladders|corridors|aisles|wards|hills|steps;"
        " run|runs|running|ran a lot|bit|few|fair|mile|marathon|half|couple",
        "sitting": "sit|sits|sitting|sat|seated|sedentary|driving|drive|drives; desk - based;"
        " in a|my|the chair|wheelchair|car|van|ute|truck|lorry|cab|cockpit; behind the wheel",
        "mixed": "mix|mixed|mixture|varies|varied|vary|varying|combination|both|depends|balance;"
        " a? bit of both|everything|all; all sorts; half and half; all of them|those; all of the above;"
        # Pottering is a bit of everything around the house and garden.
        " potter|potters|pottering about|around",
        # "Up and down all day" alone is a mix; after an activity ("walking, up and down") it is that moving.
        _UP_AND_DOWN: "up and down",
        # "Pins and needles in both legs", "both my heels": "both" of a pair of body
        # parts (or shoes) tells of the body, not of a day split between two things.
        None: "both my|the|of? legs|leg|feet|foot|sides|side|arms|hands|knees|hips|ankles|heels|calves|thighs"
        "|buttocks|shoulders|shoes|insoles|soles|ears|eyes;"
        " both of my|the|his|her|our|their|your legs|feet|sides|arms|hands|knees|hips|ankles|heels|shoes;"
        # "I got them mixed up" owns up to a mistake; it says nothing about the day.
        " mix|mixed|mixing them|those|it|things|that? up; mix - up; mixup;"
        # "Long-standing" and "long-running" tell how long something has lasted.
        " long -? standing|running;"
        # "I run a café", "run dispatch": running a business is managing it, not running.
        " run|runs|running|ran a|an|the|my|our|his|her|their|dispatch|errands;"
        # "I walk with my feet turned out", "walking on the outside of my feet": how the
        # person walks (their gait), not how much of the day they spend walking.
        " walk|walks|walking|walked with my|me|a|an feet|foot|toes|limp|waddle|hobble|turn|twist|roll|lean|gait;"
        " walk|walks|walking|walked on my|me|the toes|heels|outside|outsides|inside|insides|edge|edges|sides",
    }
)
OCCUPATIONS = Options(
    {
        "standing": "dental nurse|assistant|hygienist|technician; till|checkout operator|worker; usher|usherette;"
        " cashier|hairdresser|barber|chef|cook|bartender|barista|surgeon|pharmacist|dentist;"
        " shop|sales|retail|factory worker|assistant; security guard; checkout operator; hairstylist;"
        " mechanic|butcher|baker|florist|machinist|welder;"
        " shelf stacker|filler",
        # "Runner" is left out: running is a pastime, not what most of the day is spent doing.
        "walking": "postman|postwoman|postie|mailman|waiter|waitress|nurse|paramedic|porter|cleaner;"
        " mail|letter carrier; dog walker; tour guide; delivery rider;"
        " carer|housekeeper; care|support worker; police|prison officer; cabin crew; flight attendant;"
        # A picker walks the aisles.
        " picker|pickers; order|stock picker;"
        # A courier may drive all day; one on foot or a bike walks or rides it.
        " courier on foot; foot|bike|cycle courier",
        # Visiting people at home is driving between visits and on one's feet at each.
        "mixed": "community|district|home|domiciliary|visiting carer|nurse|midwife|physio; home care|help worker;"
        " health visitor",
        "sitting": "programmer|developer|accountant|receptionist|secretary|designer|writer|administrator|student;"
        " office worker; call centre|center worker; software developer|engineer; data analyst; driver;"
        " lorry|truck|taxi|bus|cab driver; cabbie|trucker|haulier|typist|coder|gamer|pilot|dispatcher|lawyer|solicitor|tailor|seamstress|dressmaker",
    }
)
#: Trades whose day mixes walking, standing, climbing, kneeling, carrying and driving.
#: Asked what most of their day is, such a person may answer with the trade, read as
#: its likeliest day; said in passing ("scaffolder, back's sore") it is no clear
#: statement of one daily load, so it is no fact and the question is asked.
TRADES = Options(
    {
        # A warehouse day may be picking on foot, packing at a bench or driving a forklift.
        "standing": "carpenter|joiner|electrician|sparky|plumber|decorator|plasterer; warehouse; warehouse worker|operative",
        "walking": "builder|labourer|laborer|bricklayer|brickie|scaffolder|roofer|gardener|landscaper;"
        " window cleaner; tree surgeon; arborist|forester|groundsman|groundskeeper",
        "sitting": "van|delivery driver; multi - drop driver; van man",
    }
)
SETTINGS = Options(
    {
        "standing": "till|checkout|counter; assembly|production line; standing job; market stall;"
        " shop|factory|kitchen|salon|retail; shop floor; stacking|stocking|filling shelves",
        "walking": "waiting tables; walking job; picking orders|stock|items; order picking; site visits",
        "sitting": "desk|office|computer|screen|laptop|chair|couch|sofa|wfh; work from home; desk|office|sedentary job",
    }
)
#: What an answer's job or place may say of the day.
_JOBS_AND_PLACES = (OCCUPATIONS, TRADES, SETTINGS)
#: Words next to an activity that make it the main one: "standing mainly", "mostly sitting".
_MAIN = word_set("mostly mainly primarily largely predominantly chiefly usually generally")
#: Words before an activity that make it a small part of the day: "bit of walking", "some sitting".
_MINOR = word_set("bit some little occasional occasionally sometimes odd than only")
#: Words after an activity that put it outside the working day: "run in the evenings", "walk at weekends".
_OFF_HOURS = [
    tuple(p.split())
    for p in (
        "in the evening", "in the evenings", "of an evening", "evenings", "at night", "at weekends",
        "at the weekend", "on weekends", "on the weekend", "weekends", "after work", "before work",
        "in the morning before work", "in my spare time", "in my free time", "for fun", "a week", "per week",
        "every week",
    )
]  # fmt: skip
#: Units of an amount of the day: "8 hrs at my desk".
_HOURS = word_set("h hr hrs hour hours")
#: The activities an amount of hours may be given for.
_TIMED = frozenset({"standing", "walking", "sitting"})
#: Words before an activity that leave it out of the day: "apart from the running".
_EXCEPT = word_set("apart aside except besides excluding other")

# The markers of how much of the day an activity fills are words of answers too: "than" is no typo of "that".
_VOCABULARY = (
    ACTIVITIES.vocabulary
    | OCCUPATIONS.vocabulary
    | TRADES.vocabulary
    | SETTINGS.vocabulary
    | Vocabulary(_MAIN | _MINOR | _EXCEPT | {"more", "most"})
)
#: Words before a job that make it the person's: "I'm a", "I work as a", "my job is".
_IDENTITY = word_set("i'm am as is work do")
#: "I've been a hairdresser 20 years": a job held up to now is the person's (not "had been").
_HELD_UP_TO_NOW = word_set("i've ive have")
_PAST = word_set("retired former ex formerly trainee unemployed used was")
_FIRST_PERSON = word_set("i i'm i've i'd my me")
#: Words that may open a note before a job or an activity whose "I" is left out:
#: "a nurse, ...", "mostly sitting at a desk", "work on my feet".
_NOTE_OPENERS = word_set(
    "a an and also still but so just oh well um then plus mostly mainly usually always generally often work working"
    " spend spent been do doing full part time"
)
#: The activities of a day on one's feet, which a job's and a statement's may disagree on.
_ON_FEET = frozenset({"standing", "walking"})
#: Words that may open a note of an activity: "it's mostly walking", "it is standing all shift" (the day).
_ACTIVITY_OPENERS = _NOTE_OPENERS | word_set("it's its it is")
#: Words before a place that make it the person's workplace: "I work in a shop", "working in the kitchen".
_AT_WORK = word_set("work works working job")
#: Words before a place that put the person there: "I'm at a desk all day".
_AT = word_set("i'm im am")
#: Words before a job that say whose job it is or when it was, not its kind.
_NOT_A_KIND = (
    _PAST
    | _FIRST_PERSON
    | word_set(
        "the this that his her their our your its whose he she they we you someone friend wife husband partner son"
        " daughter mum mom dad brother sister my old"
    )
)
_THIRD_PERSON = word_set("stands sits walks runs drives jogs hikes")
_USUALLY = word_set("mostly mainly usually generally")
#: Words of a general claim rather than a habit: "sitting all day is bad for you".
_GENERAL = word_set("is are cause causes bad good can may should people you anyone everyone")
#: Words after a job that make it someone else speaking: "nurse said ...".
_REPORTED = word_set("said says told tells thinks thought reckons recommended suggested mentioned gave asked")
_HABITS = Options(
    {
        "habit": "all day|shift|night|week; the? whole|entire day|shift|night|week; a lot; lots; most of the day|time; for hours|work|miles; at work;"
        " long hours|shifts|periods; all the time; most of the night|evening|shift|week; every day; daily|constantly|miles|shifts|shift; most days;"
        " most of day|shift|time;"
        " for my|a job|living; in my job; hours a day; at a|my|the market? desk|computer|till|counter|stall|bench|workbench;"
        " in an? office; from home;"
        " steps; a|per|each day; deliveries|rounds;"
        # A round of work: "walking door to door", "street to street".
        " door|street|house|site|job|room|ward|shop to door|street|house|site|job|room|ward|shop;"
        # "Mostly sitting reading": how the days usually go.
        " mostly|mainly|usually|generally"
    }
)


def read(answer: Answer) -> Reading:
    """The activity, place or job said, combined as described above."""
    words = corrected(without_dont_know(answer.words), _VOCABULARY)
    texts = [w.text for w in words]
    parts = [(m, _part(texts, m)) for m in ACTIVITIES.mentions(words, correct=False) if not m.negated]
    parts = [(m, part) for m, part in parts if part != "exception"]
    named = {m.value for m, _ in parts} - {_UP_AND_DOWN, "mixed"}
    moving = "walking" if named else "mixed"
    parts = [(replace(m, value=moving) if m.value == _UP_AND_DOWN else m, part) for m, part in parts]
    main = {str(m.value) for m, part in parts if part == "main"}
    timed = _longest_by_hours(words, texts)
    if timed is not None and not main - {timed}:
        # "8 hrs at my desk, 1 hr walking": the hours given say which part is most of the day.
        return timed
    # "Mostly at a desk": a place marked as the main one tells the day as an activity would.
    # A place an activity names ("walking the shop floor mostly") is where that activity is done.
    done_at = [m.last for m, _ in parts]
    main |= {
        str(m.value)
        for m in SETTINGS.mentions(words, correct=False)
        if _marked_main(texts, m) and not any(m.first - 4 <= last < m.first for last in done_at)
    }
    if len(main) == 1:
        return main.pop()
    if any(part == "plain" and m.value != "mixed" for m, part in parts):
        # A part of the day said to be small gives way to the rest of it.
        parts = [(m, part) for m, part in parts if part != "minor"]
    found = {str(m.value) for m, part in parts if part != "minor"}
    if not found:
        # "Desk job, I walk the dog at weekends": the job tells the day, not the pastime.
        found = {value for options in _JOBS_AND_PLACES for value in options.affirmed(words, correct=False)}
    if not found:
        found = {str(m.value) for m, _ in parts}
    if len(found) < 2 and _split_in_parts(texts):
        return "mixed"  # "half desk, half out on site": two parts of the day, whatever the second is
    return _day(found)


def _longest_by_hours(words: Sequence[Word], texts: Sequence[str]) -> Optional[str]:
    """The activity given at least twice the hours of any other: "8h sitting, 2h on my feet" is ``sitting``.

    Each amount of hours goes with the activity or place next to it in its clause
    ("6 hours at a till", "walking 2 hrs"); ``None`` unless two differ that clearly.
    """
    said = [
        m
        for options in (ACTIVITIES, SETTINGS)
        for m in options.mentions(words, correct=False)
        if m.value in _TIMED and not m.negated
    ]
    hours: Dict[str, float] = {}
    for number in find_numbers(words):
        if texts[number.last + 1 : number.last + 2] not in [[unit] for unit in _HOURS]:
            continue
        start, end = clause_span(texts, number.first, and_breaks=True)
        near = [m for m in said if start <= m.first < end]
        if not near:
            continue
        closest = min(near, key=lambda m: abs(m.first - number.last))
        hours[str(closest.value)] = hours.get(str(closest.value), 0.0) + number.value
    if len(hours) < 2:
        return None
    ranked = sorted(hours.items(), key=lambda item: -item[1])
    return ranked[0][0] if ranked[0][1] >= 2 * ranked[1][1] else None


def _marked_main(texts: Sequence[str], mention: Mention) -> bool:
    """Whether a place is marked as the main part of the day: "mostly at a desk", "at the till mainly"."""
    before = texts[max(0, mention.first - 3) : mention.first]
    after = texts[mention.last + 1 : mention.last + 2]
    return bool(_MAIN & set(before) and not CLAUSE_BREAKS & set(before)) or bool(_MAIN & set(after))


def _split_in_parts(texts: Sequence[str]) -> bool:
    """Whether the day is said in two shares: "half ... half ...", "part ... part ..."."""
    return texts.count("half") >= 2 or texts.count("part") >= 2


def _day(found: Set[str]) -> Optional[str]:
    """One day from the activities in it: sitting with anything else is a mix."""
    if "mixed" in found or ("sitting" in found and len(found) > 1):
        return "mixed"
    if found == {"standing", "walking"}:
        return "walking"
    return found.pop() if len(found) == 1 else None


def _part(texts: Sequence[str], mention: Mention) -> str:
    """How much of the day an activity is said to fill: ``main``, ``minor``, ``exception`` or ``plain``."""
    before = texts[max(0, mention.first - 3) : mention.first]
    after = texts[mention.last + 1 : mention.last + 6]
    if _EXCEPT & set(before):
        return "exception"
    more_than = ("more", "than") in pairwise(after)
    if _MAIN & set(texts[max(0, mention.first - 1) : mention.last + 2]) or more_than or after[:2] == ["most", "of"]:
        return "main"
    if _marked_main_before_its_subject(texts, mention.first):
        return "main"
    if _off_hours(texts, mention):
        # "I run in the evenings": outside the working day, however much of the person's life it is.
        return "minor"
    return "minor" if _MINOR & set(before) else "plain"


#: The subject and verb a speaker may put between "mostly" and the activity, as in a
#: second language's word order: "mostly I am standing", "mainly it's walking".
_SUBJECT_AND_VERB = word_set("i i'm im am it it's its is we we're are i've have been")


def _marked_main_before_its_subject(texts: Sequence[str], first: int) -> bool:
    """Whether a "mostly" comes before the subject of the activity at ``first``: "mostly I am standing"."""
    i = first - 1
    while i >= 0 and texts[i] in _SUBJECT_AND_VERB:
        i -= 1
    return i < first - 1 and i >= 0 and texts[i] in _MAIN


def _off_hours(texts: Sequence[str], mention: Mention) -> bool:
    """Whether an activity is put outside the working day: "hiking at weekends", "run after work"."""
    after = texts[mention.last + 1 : mention.last + 6]
    return any(
        tuple(after[k : k + len(p)]) == p for k in range(3) for p in _OFF_HOURS if not CLAUSE_BREAKS & set(after[:k])
    )


def _job_in_note_form(texts: Sequence[str], start: int, mention: Mention) -> bool:
    """Whether a job opens its clause as a note about the person: "nurse, 12h shifts", "a postie"."""
    # One word may name the kind of job: "forklift driver", "school nurse".
    opening = texts[start : mention.first - 1] if mention.first - 1 > start else []
    kind = texts[mention.first - 1] if mention.first - 1 >= start else ""
    if set(opening) - _NOTE_OPENERS or not (kind in _NOTE_OPENERS or _is_a_kind_of_job(kind)):
        return False
    after = texts[mention.last + 1] if mention.last + 1 < len(texts) else ""
    return after not in _REPORTED and not after.startswith("'")


def _is_a_kind_of_job(word: str) -> bool:
    """Whether a word before a job may name its kind ("forklift driver"), not whose it is ("my", "his")."""
    return word == "" or (word.isalpha() and word not in _NOT_A_KIND)


#: Studies beside a job: "student", and the words that tell of the job beside it.
_STUDIES_AND_WORKS = word_set("student students")
_WORKS = word_set("work works working job jobs shift shifts part-time")


def find(words: Sequence[Word], today: date) -> List[Finding]:
    """The person's job, or a daily habit of standing, walking or sitting, stated in a sentence.

    A job is the person's after "I'm a", "I work as" ..., or opening a clause in note
    form ("nurse, 12h shifts"); an activity needs a habit ("all day", "for work")
    and the person as its subject, said ("I stand all day", "on my feet") or left out
    ("sit at a desk all day", "walking 20k steps a day").
    """
    words = corrected(words, _VOCABULARY)
    texts = [w.text for w in words]
    found: List[Finding] = []
    places: List[Finding] = []
    # "Window cleaner", "van driver": a trade is no fact, and its last word no other job.
    trades = TRADES.mentions(words, correct=False)
    jobs = [
        m for m in OCCUPATIONS.mentions(words, correct=False) if not any(t.first <= m.last <= t.last for t in trades)
    ]
    for mention in jobs + SETTINGS.mentions(words, correct=False):
        start, _ = clause_span(texts, mention.first, and_breaks=True)
        before = set(texts[max(start, mention.first - 4) : mention.first])
        job = "job" in texts[mention.first : mention.last + 2]
        noted = _job_in_note_form(texts, start, mention) and (mention in jobs or job)
        held = "been" in before and bool(_HELD_UP_TO_NOW & before)
        mine = bool(_IDENTITY & before) or held or noted if mention in jobs else bool(_AT_WORK & before) or job
        mine = mine or (mention not in jobs and texts[mention.first] == "work")  # "I work from home"
        # "I'm at a desk all day": the person at a place for most of the day.
        mine = mine or (mention not in jobs and bool(_AT & before) and _habit_in(words, texts, start, mention.first))
        if mention.value and mine and not mention.negated and not _PAST & set(texts[start : mention.last + 1]):
            (found if mention in jobs else places).append(Finding(mention.value, mention.first, mention.last, noted))
    if _STUDIES_AND_WORKS & set(texts) and _WORKS & set(texts):
        # "I'm a student and work part time in a shop": the day is split between study
        # and a job in shares not said, so neither decides it; what is said outright may.
        found = [finding for finding in found if texts[finding.first] not in _STUDIES_AND_WORKS]
        places = []
    habits = _HABITS.mentions(words, correct=False)
    activities: List[Tuple[Finding, str]] = []
    for mention in ACTIVITIES.mentions(words, correct=False):
        start, end = clause_span(texts, mention.first, and_breaks=True)
        said = bool(_FIRST_PERSON & set(texts[start : mention.last + 1]))
        # "Sit at a desk all day": the "I" left out; "stands all day" is someone else's.
        # "All day standing", "whole shift walking": the habit may come first, as some put it.
        opening = {texts[i] for i in range(start, mention.first) if not any(h.first <= i <= h.last for h in habits)}
        noted = not opening - _ACTIVITY_OPENERS and texts[mention.first] not in _THIRD_PERSON
        noted = noted and not _GENERAL & set(texts[start:end])
        habit = any(start <= h.first < end for h in habits)
        # "I do a lot of hiking at weekends": a pastime says nothing of the working day, so the question is asked.
        habit = habit and not _off_hours(texts, mention)
        if mention.value not in (None, "mixed", _UP_AND_DOWN) and not mention.negated and (said or noted) and habit:
            # "Mostly sitting": the habit straight before the activity is part of the statement.
            first = mention.first - (mention.first > 0 and texts[mention.first - 1] in _USUALLY)
            finding = Finding(str(mention.value), first, mention.last, noted and not said)
            activities.append((finding, _part(texts, mention)))
    kept = [(finding, part) for finding, part in activities if part != "exception"]
    main = [finding for finding, part in kept if part == "main"]
    if len({finding.value for finding in main}) == 1:
        # The main activity said outright outweighs what a job suggests: "dental nurse, standing most of the day".
        return main[:1]
    plain = [finding for finding, part in kept if part != "minor"]
    if not (found or plain or places):
        # "Bit of sitting, bit of standing": a day told as shares of two activities.
        kept = [(finding, "minor") for finding in _shares_of_the_day(words, texts)] or kept
    day = _combined(found + (plain or places or [finding for finding, _ in kept]))
    shares = [m for m in ACTIVITIES.mentions(words, correct=False) if m.value == "mixed" and not m.negated]
    if day and shares:
        # "At a desk in the mornings, on the shop floor after, so half and half": the day told in shares.
        first, last = min(day[0].first, shares[0].first), max(day[0].last, shares[-1].last)
        return [Finding("mixed", first, last, day[0].speaker_implied)]
    stated = {str(finding.value) for finding in plain}
    if stated and {str(finding.value) for finding in found} | stated <= _ON_FEET:
        # "Nurse, 12h shifts on my feet": whether the feet stand or walk, what the person
        # says outweighs what the job suggests, as in an answer.
        value = _day(stated) or "walking"
        return [replace(finding, value=value) for finding in day]
    # "I work in a salon, sit all day": what the person does all day outweighs where they work.
    return day


#: Words that give an activity as one share of the day: "a bit of sitting", "some standing", "half standing".
_SHARES = word_set("bit some little half")
_SHARE_FILLERS = word_set("a of and , then")
#: Words after an activity that give it as a share of the day: "on my feet some of the day",
#: "sat down the rest", "standing part of the time".
_SHARES_AFTER = word_set("half rest part")
#: Most words between an activity and the share after it: "sat marking the rest".
_SHARE_GAP = 3


def _share_after(texts: Sequence[str], mention: Mention, next_first: int) -> int:
    """The last word of a share of the day said after an activity ("... some of the day"), or -1.

    The share must come before the next activity (``next_first``) and the clause's end.
    """
    end = min(next_first, len(texts))
    for i in range(mention.last + 1, min(end, mention.last + 2 + _SHARE_GAP)):
        if texts[i] in CLAUSE_BREAKS or texts[i] == "and":
            return -1
        if i + 1 == next_first < len(texts):
            return -1  # "half sitting half standing": the share straight before an activity is that one's
        if texts[i : i + 2] in (["half", "an"], ["half", "a"]):
            return -1  # "walk the dog half an hour": an amount of time, not a share of the day
        if texts[i] in _SHARES_AFTER or (texts[i] == "some" and texts[i + 1 : i + 2] == ["of"]):
            # The share runs on to its noun: "some of the day", "the rest of the time".
            last = i
            while last + 1 < end and texts[last + 1] in ("of", "the", "day", "time", "shift", "week", "my"):
                last += 1
            return last
    return -1


def _shares_of_the_day(words: Sequence[Word], texts: Sequence[str]) -> List[Finding]:
    """Two or more activities each given as a share of the day: "bit of sitting bit of standing at work".

    A share may also follow its activity: "on my feet half the day, sitting the rest".
    Each share must be the person's, said ("I do a bit of ...") or in note form, and
    none may be outside the working day ("a bit of walking at weekends").
    """
    shares: List[Finding] = []
    previous = -1
    mentions = ACTIVITIES.mentions(words, correct=False)
    for k, mention in enumerate(mentions):
        start, _ = clause_span(texts, mention.first, and_breaks=False)
        opening = texts[max(start, previous + 1) : mention.first]
        after = _share_after(texts, mention, mentions[k + 1].first if k + 1 < len(mentions) else len(texts))
        previous = max(mention.last, after)
        shared = _SHARES & set(opening[-3:]) or after >= 0
        share = shared and mention.value in _TIMED and not mention.negated
        said = bool(_FIRST_PERSON & set(texts[start : mention.first]))
        noted = not set(opening) - _SHARES - _SHARE_FILLERS - _ACTIVITY_OPENERS
        if not share or not (said or noted) or _off_hours(texts, mention) or _GENERAL & set(texts):
            return []
        shares.append(Finding(str(mention.value), mention.first, mention.last, noted and not said))
    return shares if len({finding.value for finding in shares}) > 1 else []


def _habit_in(words: Sequence[Word], texts: Sequence[str], start: int, first: int) -> bool:
    """Whether the clause of the word at ``first`` says a habit ("all day", "every day")."""
    _, end = clause_span(texts, first, and_breaks=True)
    return any(start <= h.first < end for h in _HABITS.mentions(words, correct=False))


def _combined(found: List[Finding]) -> List[Finding]:
    """One finding for a sentence's day, combined as answers are: "warehouse job, walking all day"."""
    values = {str(finding.value) for finding in found}
    if len(values) < 2:
        return found
    value = _day(values) or "mixed"
    first, last = min(f.first for f in found), max(f.last for f in found)
    return [Finding(value, first, last, all(f.speaker_implied for f in found))]


READER = SlotReader(DAILY_LOAD, read, find)
