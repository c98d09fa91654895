"""Training the embedded model for interaction in MiroThinker's three phases: data from the project's own tasks, supervised fine-tuning, preference learning (DPO), and reinforcement learning (GRPO) with the project's own agent as the rollout engine.

Its modules, and their public names, are imported on first use; torch, transformers, peft and datasets only inside the functions that use them."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('data', 'sft', 'dpo', 'grpo', 'gpu', 'pipeline'))
