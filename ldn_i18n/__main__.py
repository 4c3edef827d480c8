"""``python -m ldn_i18n``: the same as the ``ldn-i18n`` console script."""

import sys

from .cli import main

sys.exit(main())
