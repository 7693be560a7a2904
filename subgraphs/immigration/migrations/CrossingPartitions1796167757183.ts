import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Border crossings grow by tens of millions a year nationally: on PostgreSQL the table becomes
 * partitioned by range of "crossedAt", one partition per calendar year, plus a default partition
 * for instants outside them (nothing is ever refused for its date). The ISO-8601 instants
 * ("2025-06-18T03:04:05.000Z", always 24 characters) order as text like time, so year bounds
 * '2025-01-01' … '2026-01-01' hold exactly that year. `timpora_ensure_yearly_partitions` creates
 * missing years and moves rows waiting in the default partition into them; `npm run migrate` calls
 * it on every run for the years ahead (lib/partitions.ts). Unique indexes of a partitioned table must
 * hold the partition key: the primary key becomes (id, crossedAt), and the natural key (person,
 * instant, direction) is unique.
 */
export class CrossingPartitions1796167757183 implements MigrationInterface {
  name = 'CrossingPartitions1796167757183';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION timpora_ensure_yearly_partitions(parent text, partition_column text, first_year int, last_year int)
      RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        year int;
        child text;
        created int := 0;
      BEGIN
        FOR year IN first_year..last_year LOOP
          child := parent || '_y' || year;
          CONTINUE WHEN to_regclass(quote_ident(child)) IS NOT NULL;
          EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', child, parent);
          -- Rows of that year that waited in the default partition move into it before it is attached.
          EXECUTE format(
            'WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
            parent || '_default', partition_column, year || '-01-01', partition_column, (year + 1) || '-01-01', child);
          EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
            parent, child, year || '-01-01', (year + 1) || '-01-01');
          created := created + 1;
        END LOOP;
        RETURN created;
      END $$`);
    await queryRunner.query('ALTER TABLE "border_crossing" RENAME TO "border_crossing_unpartitioned"');
    await queryRunner.query(
      'ALTER TABLE "border_crossing_unpartitioned" DROP CONSTRAINT "PK_ad9877dba81b03d67235ba82921"',
    );
    await queryRunner.query('DROP INDEX "public"."border_crossing_person_time"');
    await queryRunner.query(
      'CREATE TABLE "border_crossing" ("id" character varying(36) NOT NULL, "personId" character varying(36) NOT NULL, "direction" character varying(5) NOT NULL, "crossedAt" character varying(24) NOT NULL, "checkpoint" character varying NOT NULL, "passportNumber" character varying(12) NOT NULL, CONSTRAINT "PK_9d24bfaba1409d8b503efadfdfe" PRIMARY KEY ("id", "crossedAt")) PARTITION BY RANGE ("crossedAt")',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "border_crossing_natural_key" ON "border_crossing" ("personId", "crossedAt", "direction")',
    );
    await queryRunner.query('CREATE TABLE "border_crossing_default" PARTITION OF "border_crossing" DEFAULT');
    await queryRunner.query(
      `SELECT timpora_ensure_yearly_partitions('border_crossing', 'crossedAt', 2000, extract(year FROM now())::int + 3)`,
    );
    await queryRunner.query(
      'INSERT INTO "border_crossing" ("id", "personId", "direction", "crossedAt", "checkpoint", "passportNumber") SELECT "id", "personId", "direction", "crossedAt", "checkpoint", "passportNumber" FROM "border_crossing_unpartitioned"',
    );
    await queryRunner.query('DROP TABLE "border_crossing_unpartitioned"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "border_crossing_unpartitioned" ("id" character varying(36) NOT NULL, "personId" character varying(36) NOT NULL, "direction" character varying(5) NOT NULL, "crossedAt" character varying(24) NOT NULL, "checkpoint" character varying NOT NULL, "passportNumber" character varying(12) NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "border_crossing_unpartitioned" SELECT "id", "personId", "direction", "crossedAt", "checkpoint", "passportNumber" FROM "border_crossing"',
    );
    await queryRunner.query('DROP TABLE "border_crossing"');
    await queryRunner.query('ALTER TABLE "border_crossing_unpartitioned" RENAME TO "border_crossing"');
    await queryRunner.query(
      'ALTER TABLE "border_crossing" ADD CONSTRAINT "PK_ad9877dba81b03d67235ba82921" PRIMARY KEY ("id")',
    );
    await queryRunner.query(
      'CREATE INDEX "border_crossing_person_time" ON "border_crossing" USING btree ("personId", "crossedAt")',
    );
    await queryRunner.query('DROP FUNCTION timpora_ensure_yearly_partitions(text, text, int, int)');
  }
}
