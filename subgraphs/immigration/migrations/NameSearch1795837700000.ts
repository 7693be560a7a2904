import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: a trigram index makes the name filter (`nameKey LIKE '%part%'`) an index scan on
 * PostgreSQL. The entity declares it with `synchronize: false`, so generated migrations keep it.
 */
export class NameSearch1795837700000 implements MigrationInterface {
  name = 'NameSearch1795837700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query(
      'CREATE INDEX "foreign_national_name_trigram" ON "foreign_national" USING gin ("nameKey" gin_trgm_ops)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "foreign_national_name_trigram"');
  }
}
