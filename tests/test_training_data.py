"""`rasa data validate` on the project's domain and training data.

Rasa 3.6's validator reports every response that no story or rule mentions, even
when it is used: a form asks its questions with ``utter_ask_<slot>``, Rasa's
default actions send ``utter_restart`` and ``utter_default``, the safety policy
sends its responses itself, actions send some by name, and one action answers every
``ask_<topic>`` intent with ``utter_faq_<topic>``. Those warnings are checked against
where each response is really used, as is the warning for an intent that an NLU
component sets instead of learning it from examples; any other warning fails.
"""

from __future__ import annotations

import re
import subprocess
from typing import List, Set

import yaml

from actions.questions import ANSWER_PREFIX, QUESTION_INTENT_PREFIX
from rasa_project.nlu.message_length import MESSAGE_TOO_LONG_INTENT
from rasa_project.nlu.pause import PAUSE
from rasa_project.policies.emergency import SAFETY_RESPONSES
from tests.live_servers import REPO_ROOT, VENV_BIN

UNUSED_UTTERANCE = re.compile(r"The utterance '(\w+)' is not used in any story or rule\.")
DEFAULT_ACTION_RESPONSES = {"utter_restart", "utter_default"}
UNTRAINED_INTENT = re.compile(
    r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data\."
)
#: Intents an NLU component sets (rasa_project/nlu/message_length.py, pause.py), never the classifier.
COMPONENT_INTENTS = {MESSAGE_TOO_LONG_INTENT, PAUSE}


def responses_used_outside_stories() -> Set[str]:
    """Responses that forms, default actions, the safety policy and actions send."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    form_questions = {
        f"utter_ask_{slot}" for form in domain.get("forms", {}).values() for slot in form.get("required_slots", [])
    }
    sent_by_actions = {
        name
        for path in (REPO_ROOT / "actions").glob("*.py")
        for name in re.findall(r'"(utter_\w+)"', path.read_text())
        if not name.endswith("_")
    }
    intents = {intent for intent in domain.get("intents", []) if isinstance(intent, str)}
    question_answers = {
        name
        for name in domain.get("responses", {})
        if name.startswith(ANSWER_PREFIX) and QUESTION_INTENT_PREFIX + name[len(ANSWER_PREFIX) :] in intents
    }
    return form_questions | DEFAULT_ACTION_RESPONSES | set(SAFETY_RESPONSES) | sent_by_actions | question_answers


def validator_warnings() -> List[str]:
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "data", "validate", "--domain", "domain.yml", "--data", "data"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    return [line.split("UserWarning:", 1)[1].strip() for line in output.splitlines() if "UserWarning:" in line]


def test_rasa_data_validate_has_no_unexplained_warnings() -> None:
    explained = responses_used_outside_stories()
    unexplained = []
    for warning in validator_warnings():
        match = UNUSED_UTTERANCE.search(warning)
        untrained = UNTRAINED_INTENT.search(warning)
        if not (match and match.group(1) in explained) and not (untrained and untrained.group(1) in COMPONENT_INTENTS):
            unexplained.append(warning)
    assert unexplained == []


def test_every_question_intent_has_an_answer() -> None:
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    rules = (REPO_ROOT / "data" / "rules.yml").read_text()
    answered = set(
        re.findall(
            r"- intent: (ask_\w+)", rules.split("rule: answer a question during")[0].split("rule: answer a question")[1]
        )
    )
    assert answered, "the question rule lists no intent"
    assert {f"{ANSWER_PREFIX}{intent[len(QUESTION_INTENT_PREFIX) :]}" for intent in answered} <= set(
        domain["responses"]
    )


def test_every_explained_response_exists_in_the_domain() -> None:
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    missing = responses_used_outside_stories() - set(domain["responses"]) - DEFAULT_ACTION_RESPONSES
    assert missing == set()
