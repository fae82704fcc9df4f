"""Staff editing: scaffolding and event commands, redaction, and the check of who may change what."""
