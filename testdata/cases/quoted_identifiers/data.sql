INSERT INTO "select" ("from", "Mixed Case") VALUES (1, 'a "quoted" ''value'''), (2, 'back\slash'), (2147483647, 'ünïcødé ✓'), (NULL, 'x');
