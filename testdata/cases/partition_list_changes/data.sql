INSERT INTO orders (id, region) VALUES (1, 'eu'), (2, 'eu'), (3, 'us'), (4, 'us');
INSERT INTO orders_asia (id, region) VALUES (5, 'asia'), (NULL, 'asia');
