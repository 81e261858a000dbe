"""Services: what the command line and the app both do, written once (reports...)."""
