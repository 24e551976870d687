"""Red Park education service (红色思想): lecturers, park lessons, monthly topics, weekly study,
the three guarantees."""
