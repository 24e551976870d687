"""What the public is told, and when: the templates and the rule that turns registrations into SMS."""
