INSERT INTO other (id) VALUES (1), (NULL), (3);
