import sys

from mobes.cli import main

sys.exit(main())
