"""What the organization tells its people: templates, members' contacts, and the checks that remind."""
