"""The action server: thin adapters from the conversation to ``rasa_project``.

Run with ``rasa run actions`` (see README). Each module holds the actions of one topic.
"""
