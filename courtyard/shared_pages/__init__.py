"""Pages several roles share, each in one place: a module registers its views (or helpers) onto each role's blueprint."""
