import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The who-read-whom rows are written behind the records: this says how far they go. A database
 * migrated from before has the rows of every record, so it starts at the last record.
 */
export class AuditPersonReadIndexed1796150000000 implements MigrationInterface {
  name = 'AuditPersonReadIndexed1796150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_person_read_indexed" ("id" integer NOT NULL, "seq" integer NOT NULL, ' +
        'CONSTRAINT "PK_audit_person_read_indexed" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'INSERT INTO "audit_person_read_indexed" ("id", "seq") SELECT 1, COALESCE(MAX("seq"), 0) FROM "audit_record"',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "audit_person_read_indexed"');
  }
}
