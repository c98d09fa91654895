"`python -m mirothinker.cli`: the `mirothinker` command."
import sys
from .main import main

sys.exit(main())
