"Traces other people recorded, read into trajectories (TaskLog, MiroFlow, MiroEval, OpenAI), and trajectories written back as messages."
from .messages import *
from .tasklog import *
from .miroeval import *
from .load import *
from .export import *
