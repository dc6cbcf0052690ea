"""The sequential graph runner: the same outputs as Rasa's Dask runner, in a fixed order."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Text, Tuple

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.engine import loader
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.rasa_overrides import graph_runner
from rasa_project.rasa_overrides.graph_runner import SequentialGraphRunner, execution_order
from tests.live_servers import latest_model


class Join(GraphComponent):
    """Joins its inputs' texts behind its own name, so a result shows the path it took."""

    def __init__(self, name: Text) -> None:
        self._name = name

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Join:
        return cls(config["name"])

    def join(self, **texts: Text) -> Text:
        inner = ",".join(texts[key] for key in sorted(texts))
        return f"{self._name}({inner})"


def _node(name: Text, is_target: bool = False, **needs: Text) -> SchemaNode:
    return SchemaNode(
        needs=needs, uses=Join, constructor_name="create", fn="join", config={"name": name}, is_target=is_target
    )


#: input -> a -> {b, c} -> d (a diamond, the graph's target), plus a node nothing needs.
DIAMOND = GraphSchema(
    {
        "a": _node("a", x="__input__"),
        "b": _node("b", x="a"),
        "c": _node("c", x="a"),
        "d": _node("d", is_target=True, x="b", y="c"),
        "unused": _node("unused", x="a"),
    }
)


@pytest.mark.parametrize(
    ("targets", "expected_nodes"),
    [
        (["a"], ["a"]),
        (["b"], ["a", "b"]),
        (["d"], ["a", "b", "c", "d"]),
        (["b", "c"], ["a", "b", "c"]),
        (["__input__"], []),
    ],
)
def test_execution_order_has_each_needed_node_once_after_its_needs(
    targets: List[Text], expected_nodes: List[Text]
) -> None:
    order = execution_order(DIAMOND, targets)
    names = [name for name, _ in order]

    assert sorted(names) == expected_nodes
    for position, (name, needs) in enumerate(order):
        assert needs == tuple(DIAMOND.nodes[name].needs.values())
        assert all(names.index(need) < position for need in needs if need in DIAMOND.nodes)


def test_a_cycle_is_a_graph_run_error() -> None:
    cyclic = GraphSchema({"a": _node("a", x="b"), "b": _node("b", x="a")})

    with pytest.raises(GraphRunError, match="cycle"):
        execution_order(cyclic, ["a"])


def _runners(schema: GraphSchema, tmp_path: Path) -> Tuple[DaskGraphRunner, SequentialGraphRunner]:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(schema, "test")
    return (
        DaskGraphRunner(schema, storage, context),
        SequentialGraphRunner(schema, storage, context),
    )


@pytest.mark.parametrize("targets", [["d"], ["b", "c"], ["a", "d"], None])
def test_same_results_as_dask_on_a_small_graph(targets: Optional[List[Text]], tmp_path: Path) -> None:
    dask_runner, sequential = _runners(DIAMOND, tmp_path)

    expected = dask_runner.run(inputs={"__input__": "in"}, targets=targets)

    assert sequential.run(inputs={"__input__": "in"}, targets=targets) == expected
    # The order is cached per targets: a second run gives the same again.
    assert sequential.run(inputs={"__input__": "in"}, targets=targets) == expected
    if targets == ["d"]:
        assert expected == {"d": "d(b(a(in)),c(a(in)))"}


def test_an_input_named_like_a_node_is_refused(tmp_path: Path) -> None:
    _, sequential = _runners(DIAMOND, tmp_path)

    with pytest.raises(GraphRunError, match="clashes with a node name"):
        sequential.run(inputs={"__input__": "in", "a": "other"}, targets=["d"])


def test_a_missing_input_is_named(tmp_path: Path) -> None:
    _, sequential = _runners(DIAMOND, tmp_path)

    with pytest.raises(GraphRunError, match="'a' needs '__input__'"):
        sequential.run(inputs={}, targets=["d"])


# The trained model: every message and prediction must come out exactly as with Dask.

MESSAGES = [
    "hi",
    "I'd like to check my back pain",
    "/start_assessment",
    '/inform{"foot_arch": "flat"}',
    "about four months now",
    "around 6 out of 10",
    "I think my feet are quite flat",
    "do insoles actually help back pain?",
    "since yesterday I can't control my bladder",
    "my leg feels weak and I can't lift my foot",
    "",
    "🙂🙂",
    "<b>hello</b>",
    "wie geht es dir",
    "asdkjh qwe",
]


@pytest.fixture(scope="module")
def model_runners() -> Iterator[Tuple[Any, DaskGraphRunner, SequentialGraphRunner]]:
    try:
        model = latest_model()
    except FileNotFoundError:
        pytest.skip("no trained model: set ASSISTANT_MODEL or run `rasa train` into models/")
    with tempfile.TemporaryDirectory() as dask_dir, tempfile.TemporaryDirectory() as sequential_dir:
        metadata, dask_runner = loader.load_predict_graph_runner(
            Path(dask_dir), model, LocalModelStorage, DaskGraphRunner
        )
        _, sequential = loader.load_predict_graph_runner(
            Path(sequential_dir), model, LocalModelStorage, SequentialGraphRunner
        )
        yield metadata, dask_runner, sequential


def _parse(runner: Any, metadata: Any, text: Text, tracker: DialogueStateTracker) -> Dict[Text, Any]:
    results = runner.run(
        inputs={"__message__": [UserMessage(text)], "__tracker__": tracker},
        targets=[metadata.nlu_target],
    )
    message = results[metadata.nlu_target][0]
    return message.as_dict(only_output_properties=True)


def _without_time(event: Any) -> Dict[Text, Any]:
    return {key: value for key, value in event.as_dict().items() if key != "timestamp"}


def _prediction(runner: Any, metadata: Any, tracker: DialogueStateTracker) -> Dict[Text, Any]:
    prediction = runner.run(inputs={"__tracker__": tracker}, targets=[metadata.core_target])[metadata.core_target]
    return {
        "probabilities": prediction.probabilities,
        "policy": prediction.policy_name,
        "events": [_without_time(event) for event in prediction.events],
        "optional_events": [_without_time(event) for event in prediction.optional_events],
        "is_end_to_end": prediction.is_end_to_end_prediction,
        "is_no_user": prediction.is_no_user_prediction,
    }


@pytest.mark.parametrize("text", MESSAGES)
def test_same_parse_and_predictions_as_dask_on_the_trained_model(
    text: Text, model_runners: Tuple[Any, DaskGraphRunner, SequentialGraphRunner]
) -> None:
    metadata, dask_runner, sequential = model_runners
    domain = metadata.domain
    tracker = DialogueStateTracker.from_events("graph-runner", [ActionExecuted("action_listen")], domain.slots)

    parse_data = _parse(dask_runner, metadata, text, tracker)
    assert _parse(sequential, metadata, text, tracker) == parse_data

    tracker.update(UserUttered(text, parse_data.get("intent"), parse_data.get("entities", []), parse_data), domain)
    # Follow the predicted actions until the assistant would listen again.
    for _ in range(4):
        expected = _prediction(dask_runner, metadata, tracker)
        assert _prediction(sequential, metadata, tracker) == expected
        action = domain.action_names_or_texts[
            max(range(len(expected["probabilities"])), key=expected["probabilities"].__getitem__)
        ]
        if action == "action_listen":
            break
        tracker.update(ActionExecuted(action, expected["policy"]), domain)


def test_the_server_answers_through_it(model_runners: Any) -> None:
    graph_runner.install()
    try:
        agent = Agent.load(str(latest_model()))
        assert isinstance(agent.processor.graph_runner, SequentialGraphRunner)
        parsed = asyncio.run(agent.parse_message("hi"))
        assert parsed["intent"]["name"] == "greet"
    finally:
        graph_runner.uninstall()
