"""Models: the `Model` protocol, scripted and replayed models, transformers (the embedded SmolLM2, batching) and OpenAI-compatible servers.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('base', 'replay', 'hf', 'embedded', 'batch', 'remote'))
