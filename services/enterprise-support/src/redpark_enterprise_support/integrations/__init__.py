"""Other systems of the park talking to this service (signed webhooks through `redpark_platform.inbox`)."""
