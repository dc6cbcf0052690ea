"""Back-pain and insole assistant: clinical logic, NLP components, storage and channels.

Everything here is plain Python that Rasa (NLU components, policies, tracker store,
channels) and the action server (``actions/``) call into.
"""
