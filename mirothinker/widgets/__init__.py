"Widgets and offline pages to step through, compare and follow runs."
from .payload import *
from .align import *
from .viewer import *
from .browser import *
from .export import *
