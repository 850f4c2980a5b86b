-- Every row converted by the USING expressions of the hints.
SELECT id, name, created_at, flags FROM events ORDER BY id;
