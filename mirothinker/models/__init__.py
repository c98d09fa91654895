"Models: the `Model` protocol, scripted and replayed models, transformers (the embedded SmolLM2, batching) and OpenAI-compatible servers."
from .base import *
from .hf import *
from .embedded import *
from .batch import *
from .remote import *
from .replay import *
