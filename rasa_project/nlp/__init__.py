"""Natural-language processing of patient messages.

- ``red_flags``: the red-flag detector (spaCy rule pipeline, ``get_detector()``);
  ``pipeline``, ``patterns``, ``red_flags.cfg`` and ``red_flag_patterns.yml`` build it.
- ``components``: Rasa NLU graph components that put red flags and assessment
  facts on each message as entities.
- ``unreadable``: marks messages the intent classifier cannot read.
"""
