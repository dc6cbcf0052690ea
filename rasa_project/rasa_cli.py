"""Rasa's command line, with this project's Rasa overrides installed first.

``python -m rasa_project.rasa_cli run ...`` (or ``shell``, ``train`` ...) takes the
same arguments as ``rasa``. It is how the scripts, the tests, the benchmarks and the
deployment start the Rasa server: the one place that installs
:mod:`rasa_project.rasa_overrides` (chosen with ``ASSISTANT_RASA_OVERRIDES``), before
Rasa loads a model. Plain ``rasa run`` runs the same assistant on stock Rasa.
"""

from __future__ import annotations


def main() -> None:
    """Install the selected Rasa overrides, then run Rasa's own command line."""
    from rasa.__main__ import main as rasa_main

    from rasa_project import rasa_overrides
    from rasa_project.storage.startup import check_storage_before_serving

    rasa_overrides.install()
    check_storage_before_serving()
    rasa_main()


if __name__ == "__main__":
    main()
