INSERT INTO orders (id, s, p) VALUES (1, 'new', 'low'), (2, 'paid', 'normal'), (3, 'paid', 'high');
