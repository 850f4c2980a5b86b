INSERT INTO "Sécurité".secrets VALUES (1, 'postgres', 'a'), (2, 'someone', 'b');
