"""`python -m autocallback check [MODULE ...]`: verify every decorated function of modules."""

import sys

from ._command import main

if __name__ == "__main__":
    sys.exit(main())
