"""The adversarial suite: who may reach a conversation, and what a hostile message can do."""
