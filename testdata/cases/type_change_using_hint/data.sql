INSERT INTO events VALUES
    (1, 'launch', 1700000000, 0),
    (2, 'epoch', 0, 1),
    (3, 'leap', 951782400, NULL);
