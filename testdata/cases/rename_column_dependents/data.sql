INSERT INTO products (price) VALUES (5), (50), (500);
