"""`python -m social_listen` runs the CLI."""

from social_listen.cli import main

main()
