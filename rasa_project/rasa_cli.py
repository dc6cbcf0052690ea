"""Rasa's command line, with this project's start-up hooks installed first.

``python -m rasa_project.rasa_cli run ...`` (or ``shell``, ``train`` ...) takes the
same arguments as ``rasa``. It is how the scripts, the tests, the benchmarks and the
deployment start the Rasa server, and the one place that, before Rasa configures
anything:

- keeps message text out of the logs at INFO and above
  (:mod:`rasa_project.log_privacy`), Rasa's own records included. Rasa's
  structured events are written as JSON (``FORCE_JSON_LOGGING``), also on a
  terminal, so that their fields can be withheld reliably;
- bounds the size of every request body Sanic accepts (``SANIC_REQUEST_MAX_SIZE``,
  default 1 MB; each channel applies its own, smaller limit, see
  :mod:`rasa_project.channels.message_limits`) and makes Sanic's own error answers
  (413, 404, 405 ...) short JSON (``SANIC_FALLBACK_ERROR_FORMAT``);
- installs :mod:`rasa_project.rasa_overrides` (chosen with
  ``ASSISTANT_RASA_OVERRIDES``), before Rasa loads a model.

Each setting above is only a default: a value already in the environment wins. Plain
``rasa run`` runs the same assistant on stock Rasa, without these hooks.
"""

from __future__ import annotations

import os
import sys

#: Sanic's limit for any request body, HTTP API included (the channels' own limit
#: is 100 KB). Large enough for the HTTP API's uses, small enough that a flood of
#: huge bodies cannot exhaust memory.
DEFAULT_REQUEST_MAX_BYTES = 1_000_000
START_UP_ENVIRONMENT = {
    # Read by rasa.utils.log_utils when it is imported: JSON, not the console
    # renderer, so every structured field can be found and withheld.
    "FORCE_JSON_LOGGING": "1",
    "SANIC_REQUEST_MAX_SIZE": str(DEFAULT_REQUEST_MAX_BYTES),
    "SANIC_FALLBACK_ERROR_FORMAT": "json",
}


def prepare_process() -> None:
    """Apply the start-up defaults and the log filter; call before importing Rasa."""
    from rasa_project import log_privacy

    for name, value in START_UP_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    log_privacy.install()


def main() -> None:
    """Prepare the process, install the selected Rasa overrides, then run Rasa's own command line.

    ``run actions`` starts the project's action server instead of rasa_sdk's, so that
    every way of starting one (the image's entry point included) requires the
    Rasa server's shared secret.
    """
    if sys.argv[1:3] == ["run", "actions"]:
        from rasa_project import action_server

        action_server.main(sys.argv[3:])
        return
    prepare_process()
    from rasa.__main__ import main as rasa_main

    from rasa_project import rasa_overrides
    from rasa_project.storage.startup import check_storage_before_serving

    installed = rasa_overrides.install()
    # Rasa sets up logging only once it runs; operators (and the tests) read the
    # mode from this line, written before that.
    sys.stderr.write(f"Rasa overrides installed: {', '.join(sorted(installed)) or 'none'}.\n")
    check_storage_before_serving()
    rasa_main()


if __name__ == "__main__":
    main()
