"Where the loop, models, tasks and analysis meet: scripted solvers, batched agents, the `Study` runner, drift experiments, `reproduce`."
from .solvers import *
from .batching import *
from .study import *
from .experiments import *
from .reproduce import *
