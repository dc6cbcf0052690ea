"""Understanding what people type, without Rasa: red flags, answers and volunteered facts.

- ``red_flags``: the red-flag detector (``get_detector()``).
- ``answers``: reading an answer against the question just asked.
- ``facts``: assessment facts volunteered anywhere in a message.

Rasa reaches this package through the NLU components in :mod:`rasa_project.nlu`
and the action server; nothing here imports Rasa.
"""
