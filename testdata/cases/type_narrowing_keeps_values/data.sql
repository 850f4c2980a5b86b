INSERT INTO authors VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO pages (author_id, slug, title, price, score, ratio, published, edited, code, hits) VALUES
    (1, 'hello-world', 'Hello, world', 1.50, 42, 3, '2024-03-01 00:00:00', '2024-03-01 12:30:00', 'ab', '17'),
    (2, 'a-slug-of-exactly-sixty-three-characters-xxxxxxxxxxxxxxxxxxxxxx', 'Long', NULL, 7, 2.0, NULL, '2024-03-02 08:00:01', 'abc', '0'),
    (NULL, NULL, 'No slug', 0.10, -3, -1, '2024-01-31', NULL, NULL, NULL);
