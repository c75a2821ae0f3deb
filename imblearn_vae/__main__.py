"""``python -m imblearn_vae compare ...``."""

import sys

from .cli import main

sys.exit(main())
