"""Run a trained model's graph in a precomputed order, without Dask's scheduler.

Rasa 3.6 runs the prediction graph for every message and for every action it
predicts with ``DaskGraphRunner``: each run prunes the schema to the nodes the
targets need (a recursive walk without memo), builds a Dask task graph, then lets
Dask's synchronous scheduler order and execute it. The graph and the targets are
the same every time, so :class:`SequentialGraphRunner` works out the execution
order once per set of targets and then only calls the nodes. The nodes are Rasa's
own ``GraphNode`` objects, built exactly as ``DaskGraphRunner`` builds them, so
components, hooks, caching and their errors behave the same; with one thread
Dask's scheduler runs the nodes one after another too. Where Dask would quietly
let an input replace a node of the same name, or pass a missing input's name on
as a value, this runner raises ``GraphRunError``.

On a 2-core machine this takes about a tenth of the Rasa server's CPU time per
turn (see the README's performance section). :func:`install` makes the Rasa server
load models with it; the response generator (:mod:`rasa_project.responses`) calls
it when the server reads its endpoints, before the model is loaded.
"""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphNodeHook, GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.storage import ModelStorage

#: One step of a run: the node to call and the names of the outputs it is given,
#: in the order of its ``needs``.
Step = Tuple[Text, Tuple[Text, ...]]


def execution_order(schema: GraphSchema, targets: Sequence[Text]) -> List[Step]:
    """Return the nodes needed for ``targets``, each after every node it needs.

    Targets and needs that are not nodes of ``schema`` are inputs given to the
    run; they take no step.

    Raises:
        GraphRunError: the nodes needed for ``targets`` form a cycle.
    """
    needed: Dict[Text, Tuple[Text, ...]] = {}
    pending = [target for target in targets if target in schema.nodes]
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needs = tuple(schema.nodes[name].needs.values())
        needed[name] = needs
        pending.extend(need for need in needs if need in schema.nodes)

    sorter = TopologicalSorter({name: [need for need in needs if need in needed] for name, needs in needed.items()})
    try:
        order = list(sorter.static_order())
    except CycleError as error:
        raise GraphRunError(f"The graph has a cycle: {error.args[1]}") from error
    return [(name, needed[name]) for name in order]


class SequentialGraphRunner(DaskGraphRunner):
    """A ``GraphRunner`` that calls the nodes in an order computed once per targets."""

    def __init__(
        self,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: Optional[List[GraphNodeHook]] = None,
    ) -> None:
        """Instantiate the graph's nodes as ``DaskGraphRunner`` does (see its docstring)."""
        super().__init__(graph_schema, model_storage, execution_context, hooks)
        self._orders: Dict[Tuple[Text, ...], List[Step]] = {}

    def run(
        self,
        inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None,
    ) -> Dict[Text, Any]:
        """Run the graph for ``targets`` on ``inputs``; return each target's output.

        As with ``DaskGraphRunner``, a node is given its inputs as the
        ``(node name, value)`` pairs the ``GraphNode`` objects return, an input
        ``name`` is given as ``(name, value)``, and the result maps each target's
        name to its value.

        Raises:
            GraphRunError: an input is named like a node, or a node needs a name
                that is neither a node nor an input.
        """
        run_targets = tuple(targets or self._graph_schema.target_names)
        order = self._orders.get(run_targets)
        if order is None:
            order = self._orders[run_targets] = execution_order(self._graph_schema, run_targets)

        results: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if name in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input '{name}' clashes with a node name. Make sure that none of the "
                    f"input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            results[name] = (name, value)

        for name, needs in order:
            try:
                arguments = [results[need] for need in needs]
            except KeyError as missing:
                raise GraphRunError(
                    f"Node '{name}' needs '{missing.args[0]}', which is neither a node nor an input of this run."
                ) from None
            results[name] = self._instantiated_nodes[name](*arguments)

        try:
            return dict(results[target] for target in run_targets)
        except KeyError as missing:
            raise GraphRunError(f"Target '{missing.args[0]}' is neither a node nor an input.") from None


def install() -> None:
    """Make the Rasa server of this process load models with :class:`SequentialGraphRunner`.

    Idempotent. Models loaded before the call keep their runner.
    """
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner


def uninstall() -> None:
    """Let the Rasa server load models with Rasa's own ``DaskGraphRunner`` again."""
    rasa.core.processor.DaskGraphRunner = DaskGraphRunner
