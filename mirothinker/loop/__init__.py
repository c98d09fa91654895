"""MiroThinker's agent loop: parsing the model's output, the prompts, the policy and context retention, the tool runner, the run state and the `Agent`.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('parsing', 'prompts', 'policy', 'runner', 'state', 'agent'))
