INSERT INTO base (id, created) VALUES (1, '2024-01-02 03:04:05+00'), (2, NULL);
INSERT INTO child (id, created) VALUES (10, '1999-12-31 23:59:59.999999+00'), (NULL, NULL);
INSERT INTO loner (id, created) VALUES (100, 'infinity'), (101, '-infinity');
