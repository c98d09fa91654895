"MiroThinker's agent loop: parsing the model's output, the prompts, the policy and context retention, the tool runner, the run state and the `Agent`."
from .parsing import *
from .prompts import *
from .policy import *
from .runner import *
from .state import *
from .agent import *
