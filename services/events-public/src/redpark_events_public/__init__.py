"""Red Park public-events service: the public catalogue of activities and sessions, public
registration with capacity, waiting list and check-in, volunteer activities, open-base visits."""
