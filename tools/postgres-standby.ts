import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A PostgreSQL 15 primary and a streaming standby of it on 127.0.0.1, made from the machine's own
 * binaries: initdb, a physical replication slot, pg_basebackup -R (the standby's connection and
 * standby.signal written for it). No durability (nothing outlives the run). For tests and the
 * local cluster; as root, the servers run as the postgres user, which initdb requires (`dir` is
 * given to that user, and must be reachable by it: not under a folder only root may enter).
 */
export interface PostgresPair {
  /** The URL of a database on the primary, or on the standby. */
  primaryUrl(database: string): string;
  standbyUrl(database: string): string;
  /** Runs SQL with psql on a database of the primary (default `postgres`). */
  primarySql(sql: string, database?: string): string;
  /** Runs SQL with psql on a database of the standby (read-only). */
  standbySql(sql: string, database?: string): string;
  stop(): void;
}

export const POSTGRES_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function startPostgresPair(options: { dir: string; primaryPort: number; standbyPort: number }): PostgresPair {
  const { dir, primaryPort, standbyPort } = options;
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(POSTGRES_BIN, tool),
      asRoot ? ['-u', 'postgres', '--', path.join(POSTGRES_BIN, tool), ...args] : args,
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  mkdirSync(dir, { recursive: true });
  if (asRoot) chownSync(dir, uid('postgres'), gid('postgres'));
  const primary = path.join(dir, 'primary');
  const standby = path.join(dir, 'standby');
  const settings = (port: number) =>
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=4 -c max_replication_slots=4 -c hot_standby_feedback=on`;
  const start = (data: string, port: number) =>
    run('pg_ctl', ['-D', data, '-l', `${data}.log`, '-w', '-o', settings(port), 'start']);
  const stop = () => {
    for (const data of [standby, primary])
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // not running
      }
    rmSync(dir, { recursive: true, force: true });
  };
  const sql =
    (port: number) =>
    (statement: string, database = 'postgres') =>
      execFileSync(
        path.join(POSTGRES_BIN, 'psql'),
        ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-XAtqc', statement],
        { encoding: 'utf8' },
      ).trim();
  try {
    run('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres', '--no-sync', '--encoding=UTF8', '--locale=C.UTF-8']);
    start(primary, primaryPort);
    sql(primaryPort)("SELECT pg_create_physical_replication_slot('standby')");
    run('pg_basebackup', [
      '-D',
      standby,
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-R',
      '-S',
      'standby',
      '-X',
      'stream',
    ]);
    start(standby, standbyPort);
  } catch (error) {
    stop();
    throw error;
  }
  const url = (port: number) => (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    primaryUrl: url(primaryPort),
    standbyUrl: url(standbyPort),
    primarySql: sql(primaryPort),
    standbySql: sql(standbyPort),
    stop,
  };
}

const uid = (user: string) => Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
const gid = (user: string) => Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
