"The `mirothinker` command: each command module registers itself; `main` runs them."
from .main import main
