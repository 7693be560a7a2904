import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { projectRoot } from '../lib/paths';
import { identityKey, passportKey, sponsorKey } from '../subgraphs/shared/match-keys';
import { nameKey } from '../subgraphs/shared/text';

describe('match keys', () => {
  it('spell a passport as country:number and read it back', () => {
    expect(passportKey('CHN', 'E1234567')).toBe('CHN:E1234567');
    expect(passportKey.decode('CHN:E1234567')).toEqual({ country: 'CHN', number: 'E1234567' });
    // A police party without a passport still gets a key (it matches nobody).
    expect(passportKey.decode(passportKey('', ''))).toEqual({ country: '', number: '' });
  });

  it('compute the same passport key in SQL', async () => {
    const db = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    const sql = passportKey.sql('passport.country', 'passport.number');
    const [row] = await db.query(
      `SELECT ${sql} AS key FROM (SELECT 'MYS' AS country, 'A12345678' AS number) AS passport`,
    );
    expect(row.key).toBe(passportKey('MYS', 'A12345678'));
    await db.destroy();
  });

  it('spell a person without passport as name|birth date|nationality and read it back', () => {
    const key = identityKey(nameKey('Nguyễn Văn-An'), '1988-02-29', 'VNM');
    expect(key).toBe('nguyen van an|1988-02-29|VNM');
    expect(identityKey.decode(key)).toEqual({
      nameKey: 'nguyen van an',
      dateOfBirth: '1988-02-29',
      nationality: 'VNM',
    });
    // Police parties with an unknown birth date or nationality.
    expect(identityKey.decode(identityKey('li wei', '', ''))).toEqual({
      nameKey: 'li wei',
      dateOfBirth: '',
      nationality: '',
    });
  });

  it('name a sponsor by NIB, or by name when a person sponsors', () => {
    expect(sponsorKey('1234567890123', 'PT Sawit Jaya')).toBe('1234567890123');
    expect(sponsorKey(null, 'Budi Santoso')).toBe('name:Budi Santoso');
    expect(sponsorKey.decode('1234567890123')).toEqual({ nib: '1234567890123', name: null });
    expect(sponsorKey.decode('name:Budi Santoso')).toEqual({ nib: null, name: 'Budi Santoso' });
  });

  it('are spelled and split nowhere else', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name);
        return statSync(file).isDirectory() ? sources(file) : name.endsWith('.ts') ? [file] : [];
      });
    const byHand = /split\(['"][:|]['"]\)|indexOf\(['"]:['"]\)|\|\| ':' \|\||['"`]name:/;
    const found = ['subgraphs', 'tools']
      .flatMap((dir) => sources(path.join(projectRoot, dir)))
      .filter((file) => file !== path.join(projectRoot, 'subgraphs', 'shared', 'match-keys.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((text, index) => ({ file, line: index + 1, text })),
      )
      .filter(({ text }) => byHand.test(text) && !/^\s*(\*|\/\/|\/\*)/.test(text))
      .map(({ file, line }) => `${path.relative(projectRoot, file)}:${line}`);
    expect(found).toEqual([]);
  });
});
