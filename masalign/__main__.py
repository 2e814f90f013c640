import sys

from masalign.cli import main

sys.exit(main())
