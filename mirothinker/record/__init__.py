"The trajectory record: the schema every part meets at, the text a model wrote, JSONL files written step by step, and the Arrow-backed `TrajectorySet`."
from .schema import *
from .text import *
from .files import *
from .table import *
