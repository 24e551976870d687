"""Read models of the public-events service, one module per read model."""
