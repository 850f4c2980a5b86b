CREATE TABLE accounts (y int, x int);
