"""The red-flag detector: finds red-flag symptoms, and their context, in free text.

Use :func:`get_detector` for the process-wide instance. ``pipeline.cfg`` and
``patterns.yml`` define its spaCy rule pipeline (see :mod:`.pipeline`).
"""

from rasa_project.understanding.red_flags.detector import (
    RedFlagConcern,
    RedFlagDetector,
    RedFlagMention,
    get_detector,
)

__all__ = ["RedFlagConcern", "RedFlagDetector", "RedFlagMention", "get_detector"]
