"""``python -m yardstick.cli``."""

from yardstick.cli import main

main()
