CREATE TABLE "select" ("from" bigint, "Mixed Case" text NOT NULL DEFAULT 'a "quoted" ''value''', "where" int);
CREATE TABLE "Ünïcödé tåble" ("spaced column" int PRIMARY KEY, "naïve" text CHECK ("naïve" <> ''));
CREATE INDEX "idx ""quoted""" ON "select" ("Mixed Case");
CREATE TYPE "Order Status" AS ENUM ('it''s', 'back\slash', 'ünï');
CREATE TABLE "user" ("group" "Order Status", "order" int);
COMMENT ON TABLE "select" IS 'semi; colon $$ dollar';
