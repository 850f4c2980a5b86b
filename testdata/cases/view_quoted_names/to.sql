CREATE SCHEMA "Reporting";
CREATE TABLE "Reporting"."Sales" ("Id" integer PRIMARY KEY, "Amount" numeric NOT NULL, "Region" text);
CREATE VIEW "Reporting"."By Region" AS SELECT "Region", sum("Amount") AS "Total", count(*) AS "Count" FROM "Reporting"."Sales" GROUP BY "Region";
COMMENT ON VIEW "Reporting"."By Region" IS 'it''s per region';
COMMENT ON COLUMN "Reporting"."By Region"."Total" IS 'sum of "Amount"';
CREATE MATERIALIZED VIEW "Reporting"."Top Regions" AS SELECT "Region" FROM "Reporting"."By Region" ORDER BY "Total" DESC LIMIT 3;
CREATE INDEX "Top Regions Idx" ON "Reporting"."Top Regions" ("Region");
CREATE VIEW "Reporting".select AS SELECT 1 AS "from";
