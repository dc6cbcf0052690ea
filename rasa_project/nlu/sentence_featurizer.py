"""Rasa's count-vectors featurizer, under the name the pipeline uses for sentence features.

This pipeline's only reader of text features is the logistic-regression intent
classifier, which reads sentence features alone. With the ``sentence_features``
Rasa override installed (:mod:`rasa_project.rasa_overrides.sentence_features`), this
component leaves out the per-token (sequence) features nothing here reads; without
it, it is Rasa's ``CountVectorsFeaturizer`` unchanged. Training, vocabulary, options
and persisted files are Rasa's either way, so one trained model serves both ways.

Use it only in a pipeline whose components read sentence features alone; a
component that needs token features (``DIETClassifier``, ``TEDPolicy`` end to end,
``ResponseSelector``) would find none when the override is installed.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """``CountVectorsFeaturizer`` that sets only sentence features when the override is installed."""
