"""Rasa NLU graph components of the assistant (registered in ``config.yml``).

- ``intent_classifier``: Rasa's logistic-regression intent classifier, scoring those features.
- ``unreadable``: marks messages the intent classifier cannot read.
- ``extractors``: put red flags and volunteered assessment facts on each message as
  entities, from :mod:`rasa_project.understanding`.
"""
