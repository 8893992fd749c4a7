"""What every role's use cases share: the context (database, catalogue, clock, secret), who may see and
change what (access), sign-in and sessions, the audit trail, the deployment check, the parsed merged
lists, evidence photos and inspection codes."""
