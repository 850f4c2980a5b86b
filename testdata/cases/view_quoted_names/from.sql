CREATE SCHEMA "Reporting";
CREATE TABLE "Reporting"."Sales" ("Id" integer PRIMARY KEY, "Amount" numeric NOT NULL, "Region" text);
CREATE VIEW "Reporting"."By Region" AS SELECT "Region", sum("Amount") AS "Total" FROM "Reporting"."Sales" GROUP BY "Region";
