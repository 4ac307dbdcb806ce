"""`python -m digest.cli_main` runs the command line (used where no console script is on PATH)."""
from .cli import main

if __name__ == "__main__":
    main()
