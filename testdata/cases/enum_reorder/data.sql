INSERT INTO tasks (id, p, ps) VALUES
    (1, 'low', '{low,high}'),
    (2, 'high', '{}'),
    (3, 'medium', '{medium,medium,NULL}'),
    (4, NULL, NULL);
INSERT INTO tasks (id) VALUES (5);
