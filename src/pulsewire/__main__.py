"""`python -m pulsewire` runs the CLI."""

from pulsewire.cli import main

main()
