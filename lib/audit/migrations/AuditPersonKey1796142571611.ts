import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Who read person X" reads the primary key, now ordered person first, instead of a second index.
 * Written by hand: TypeORM's generator sees only the index go, not the key's new column order.
 */
export class AuditPersonKey1796142571611 implements MigrationInterface {
  name = 'AuditPersonKey1796142571611';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_person_read" DROP CONSTRAINT "PK_7560daf867ed26d7ad4d6b67c30"');
    await queryRunner.query(
      'ALTER TABLE "audit_person_read" ADD CONSTRAINT "PK_7560daf867ed26d7ad4d6b67c30" PRIMARY KEY ("personId", "seq")',
    );
    await queryRunner.query('DROP INDEX "public"."audit_person_read_person"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "audit_person_read_person" ON "audit_person_read" ("personId", "seq")');
    await queryRunner.query('ALTER TABLE "audit_person_read" DROP CONSTRAINT "PK_7560daf867ed26d7ad4d6b67c30"');
    await queryRunner.query(
      'ALTER TABLE "audit_person_read" ADD CONSTRAINT "PK_7560daf867ed26d7ad4d6b67c30" PRIMARY KEY ("seq", "personId")',
    );
  }
}
