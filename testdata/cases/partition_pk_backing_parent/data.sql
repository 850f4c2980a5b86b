INSERT INTO accounts (id, region, name) VALUES (1, 'eu', 'a'), (2, 'us', 'b');
