"""``python -m cso_network`` runs the command line."""

from cso_network.cli import main

main()
