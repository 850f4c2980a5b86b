INSERT INTO a (id) VALUES (1), (2), (NULL);
INSERT INTO b SELECT g FROM generate_series(1, 1000) g;
