INSERT INTO products (id) VALUES (1), (2);
INSERT INTO products (id, sku) VALUES (3, 'SKU-100');
