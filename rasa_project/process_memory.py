"""Keeping the loaded model out of the garbage collector's full passes.

A served model is about a million Python objects (spaCy's vocabulary and pipeline,
the policies, the red-flag rules) that live as long as the process. CPython's
collector still walks all of them on every full (generation 2) pass: under load
that pass comes every few seconds and stops the event loop for 300-400 ms on the
2-core machine, which is most of the 99th-percentile reply time and several
percent of the server's CPU. :func:`gc.freeze` moves every object that exists at
that moment into a permanent generation the collector no longer examines, so a
full pass walks only what conversations allocated since.

The freeze runs once, when the server has started: Rasa loads the model in a
``before_server_start`` listener, so by ``after_server_start`` the long-lived objects
are all there. It does not collect first (that would add a full pass to the cold
start); the little garbage left from loading stays frozen, which costs memory once
and nothing per turn. Each of the project's channels registers the listener
(:func:`freeze_after_start`), so it runs whichever channels a deployment enables;
freezing again is harmless.

``ASSISTANT_FREEZE_LOADED_HEAP=0`` switches it off, to measure what it buys
(``benchmarks/run.py`` records the setting).
"""

from __future__ import annotations

import gc
import logging
import os
from typing import Any, Mapping, Optional

from sanic import Blueprint, Sanic

logger = logging.getLogger(__name__)

SWITCH_ENV = "ASSISTANT_FREEZE_LOADED_HEAP"


def enabled(environ: Optional[Mapping[str, str]] = None) -> bool:
    """Whether the heap is frozen after start: on unless the switch is ``0``, ``off`` or ``false``."""
    value = (os.environ if environ is None else environ).get(SWITCH_ENV, "1").strip().lower()
    return value not in ("0", "off", "false", "no")


def freeze_loaded_heap() -> int:
    """Move every object tracked now into the collector's permanent generation.

    Returns:
        How many objects are frozen in all (:func:`gc.get_freeze_count`).
    """
    gc.freeze()
    return gc.get_freeze_count()


def freeze_after_start(blueprint: Blueprint) -> None:
    """Register :func:`freeze_loaded_heap` to run once the server (and its model) has started."""

    @blueprint.listener("after_server_start")
    async def freeze_on_start(_: Sanic, __: Any) -> None:
        if enabled():
            frozen = freeze_loaded_heap()
            logger.debug("Froze %d objects of the loaded model out of full collections.", frozen)
