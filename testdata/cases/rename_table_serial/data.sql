INSERT INTO customers (name) VALUES ('alice'), ('bob'), ('Zoë ''quoted'''), ('deleted');
DELETE FROM customers WHERE name = 'deleted';
INSERT INTO orders (id, customer_id) VALUES (1, 1), (2, 3), (3, NULL);
