"""Rules: the catalogue of codes and the pure checks that produce findings."""
