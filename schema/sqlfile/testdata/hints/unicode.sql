-- Größenangaben für die Lagerverwaltung: «naïve» ünïcödé text before the
-- directives, so byte offsets and character offsets differ.
COMMENT ON SCHEMA public IS 'Schéma principal — données';

-- schemadiff:renamed-from "Größe"
CREATE TABLE maße (
    -- schemadiff:renamed-from "Breite ""alt"""
    "Breite neu" int,
    -- schemadiff:renamed-from höhe
    höhe_cm int
);
CREATE TYPE farbe AS ENUM (
    'rot',
    -- schemadiff:renamed-from "grün"
    'grün ✓'
);
-- schemadiff:renamed-from ALTE_Folge
CREATE SEQUENCE "Neue Folge";
