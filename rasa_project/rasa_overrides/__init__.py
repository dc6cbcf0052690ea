"""Every piece of this project that reaches into Rasa's internals, and the one switch for them.

The rest of the project extends Rasa only through its extension points (NLU
components, policies, the tracker store, channels, the response generator, actions).
The overrides here replace or re-implement private Rasa code for speed; each was
verified against Rasa 3.6.21 and is tested against what Rasa's own code gives:

``graph_runner``
    Runs the model's graph in an order computed once instead of through Dask
    (:mod:`.graph_runner`).
``remote_actions``
    Checks action-server replies with a JSON-schema validator built once
    (:mod:`.remote_actions`).
``incremental_tracker``
    The tracker the project's tracker store builds works out its applied events
    incrementally and copies itself without a replay (:mod:`.incremental_tracker`).
``action_connections``
    Calls to the action server share pooled connections and encode JSON with
    ``ujson`` (:mod:`.action_connections`).
``conversation_snapshots``
    The tracker store answers a conversation's next read with the tracker this
    process saved, when the stored rows are exactly what it was saved as
    (:mod:`.snapshots`).

:func:`install` is called once, by the project's Rasa command line
(:mod:`rasa_project.rasa_cli`, which the scripts, the tests and the deployment use
instead of ``rasa``). It refuses, with one warning, on any Rasa version other
than :data:`VERIFIED_RASA_VERSION`, and ``ASSISTANT_RASA_OVERRIDES`` chooses what it
installs: ``all`` (the default), ``off`` (stock Rasa), or a comma-separated list of
the names above. Plain ``rasa run`` never installs anything.
"""

from __future__ import annotations

import logging
import os
from typing import FrozenSet, Mapping, Optional, Tuple

import rasa

logger = logging.getLogger(__name__)

#: The Rasa release every override was verified against, line by line.
VERIFIED_RASA_VERSION = "3.6.21"
SWITCH_ENV = "ASSISTANT_RASA_OVERRIDES"

GRAPH_RUNNER = "graph_runner"
REMOTE_ACTIONS = "remote_actions"
INCREMENTAL_TRACKER = "incremental_tracker"
CONVERSATION_SNAPSHOTS = "conversation_snapshots"
ACTION_CONNECTIONS = "action_connections"
OVERRIDES: Tuple[str, ...] = (
    GRAPH_RUNNER,
    REMOTE_ACTIONS,
    INCREMENTAL_TRACKER,
    CONVERSATION_SNAPSHOTS,
    ACTION_CONNECTIONS,
)

_installed: FrozenSet[str] = frozenset()


def selected(environ: Optional[Mapping[str, str]] = None) -> FrozenSet[str]:
    """Return the overrides ``ASSISTANT_RASA_OVERRIDES`` asks for.

    ``all`` or unset: every override; ``off``, ``none`` or empty: none; otherwise a
    comma-separated list of names from :data:`OVERRIDES`.

    Raises:
        ValueError: for a name that is not an override, so that a typo in a
            deployment does not silently measure or run the wrong thing.
    """
    value = (os.environ if environ is None else environ).get(SWITCH_ENV, "all").strip().lower()
    if value == "all":
        return frozenset(OVERRIDES)
    if value in ("off", "none", ""):
        return frozenset()
    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    unknown = sorted(names - set(OVERRIDES))
    if unknown:
        raise ValueError(f"{SWITCH_ENV} names unknown overrides {unknown}; known: {', '.join(OVERRIDES)}.")
    return names


def install(environ: Optional[Mapping[str, str]] = None, rasa_version: Optional[str] = None) -> FrozenSet[str]:
    """Install the overrides ``ASSISTANT_RASA_OVERRIDES`` selects, and return their names.

    Installs nothing, with one warning, when Rasa is not the verified version: the
    assistant then runs on stock Rasa, slower but correct. Idempotent.
    """
    global _installed
    wanted = selected(environ)
    version = rasa_version if rasa_version is not None else rasa.__version__
    if wanted and version != VERIFIED_RASA_VERSION:
        logger.warning(
            "Rasa %s is not %s, the version the Rasa overrides were verified against: running on stock Rasa.",
            version,
            VERIFIED_RASA_VERSION,
        )
        wanted = frozenset()
    # Imported here: each module touches Rasa internals that only exist in the verified version.
    from rasa_project.rasa_overrides import action_connections, graph_runner, remote_actions

    for name, module in (
        (GRAPH_RUNNER, graph_runner),
        (REMOTE_ACTIONS, remote_actions),
        (ACTION_CONNECTIONS, action_connections),
    ):
        if name in wanted:
            module.install()
        else:
            module.uninstall()
    _installed = wanted
    logger.info("Rasa overrides installed: %s.", ", ".join(sorted(wanted)) or "none")
    return wanted


def enabled(name: str) -> bool:
    """Whether the override ``name`` was installed in this process by :func:`install`."""
    return name in _installed
