INSERT INTO parent (id, code) VALUES (1, 'a'), (2, 'b'), (3, NULL);
INSERT INTO child (id, parent_id, code) VALUES (1, 1, 'a'), (2, 1, NULL), (3, NULL, 'b'), (4, 3, NULL);
