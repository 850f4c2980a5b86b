CREATE TABLE should_not_be_read (a int);
