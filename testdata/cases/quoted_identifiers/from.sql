CREATE TABLE "select" ("from" int, "Mixed Case" text);
