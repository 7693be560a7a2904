import path from 'node:path';
import { numberOption, parseCommandLine, runTool, UsageError } from './cli';
import { ConfigError, loadConfig } from './config';
import { SUBGRAPH_NAMES, SUBGRAPHS, subgraphs, SubgraphName } from '../subgraphs';
import { DataSource } from 'typeorm';
import { openDatabase, redactUrl } from '../lib/database';
import { thresholdsFromEnv } from '../subgraphs/immigration/matching/decisions';
import { linkPoliceRecords } from './identity-resolution';
import {
  DEFAULT_IMPORT_BATCH,
  HeaderError,
  importCsv,
  ImportSummary,
  ParsedRecord,
  RecordType,
} from '../subgraphs/shared/import';
import { projectEmployment } from './employment-projection';

/** What each agency can import; the README lists the columns (docs: `npm run import -- --help`). */
export const IMPORTS: Partial<Record<SubgraphName, RecordType[]>> = Object.fromEntries(
  SUBGRAPH_NAMES.filter((name) => SUBGRAPHS[name].imports.length > 0).map((name) => [name, SUBGRAPHS[name].imports]),
);

/** The record type of a file: --type, else the one its name contains (permits.csv, work-permits-2025.csv). */
export function recordTypeOf(agency: string, file: string, type?: string): RecordType {
  const types = IMPORTS[agency as SubgraphName];
  if (!types) throw new ConfigError(`--agency must be one of ${Object.keys(IMPORTS).join(', ')}`);
  const stem = path
    .basename(file)
    .replace(/\.csv$/i, '')
    .toLowerCase();
  const found = type
    ? types.find((candidate) => candidate.name === type)
    : [...types].sort((a, b) => b.name.length - a.name.length).find((candidate) => stem.includes(candidate.name));
  if (!found)
    throw new ConfigError(
      `${type ? `--type ${type}` : `"${path.basename(file)}"`} is not a ${agency} file type; use --type with one of ${types.map((candidate) => candidate.name).join(', ')}`,
    );
  return found;
}

export async function runImport(
  databaseUrl: string,
  type: RecordType,
  file: string,
  options: {
    batchSize?: number;
    log?: (line: string) => void;
    /**
     * Immigration's database: police records without passport are scored and decided there once
     * imported; manpower's RPTKAs and employers update its employment search projection.
     */
    identityDatabaseUrl?: string;
  } = {},
): Promise<ImportSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const definition = subgraphs[type.agency as SubgraphName];
  const { dataSource } = await openDatabase({
    url: databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
  });
  const projection =
    options.identityDatabaseUrl && type.agency === 'manpower'
      ? await employmentProjector(dataSource, options.identityDatabaseUrl, type)
      : undefined;
  try {
    const summary = await importCsv(dataSource, type, file, {
      batchSize: options.batchSize,
      onBatch: projection?.onBatch,
      onProgress: (summary) =>
        log(
          `${summary.file}: ${summary.read.toLocaleString('en')} rows read, ${(summary.inserted + summary.updated + summary.unchanged).toLocaleString('en')} written, ${summary.rejected.toLocaleString('en')} rejected`,
        ),
    });
    if (options.identityDatabaseUrl && type.agency === 'police')
      await linkImported(dataSource, options.identityDatabaseUrl, log);
    return summary;
  } finally {
    await projection?.close();
    await dataSource.destroy();
  }
}

/**
 * Immigration's employment search projection follows each manpower batch right after its commit
 * (tools/employment-projection.ts): the RPTKAs written, or every RPTKA of the employers written
 * (a sector may have changed).
 */
async function employmentProjector(manpower: DataSource, immigrationUrl: string, type: RecordType) {
  const immigration = await openDatabase({
    url: immigrationUrl,
    entities: subgraphs.immigration.entities,
    migrations: subgraphs.immigration.migrations,
  });
  const dbs = { manpower, immigration: immigration.dataSource };
  return {
    onBatch: async (records: ParsedRecord[]) => {
      if (type.name === 'employers')
        await projectEmployment(dbs, { employerNibs: records.map((record) => record.nib) });
      else await projectEmployment(dbs, { rptkaNumbers: records.map((record) => record.rptka_number) });
    },
    close: () => immigration.dataSource.destroy(),
  };
}

/** Scores and decides the police records without passport that are new or changed (tools/identity-resolution.ts). */
async function linkImported(police: DataSource, immigrationUrl: string, log: (line: string) => void): Promise<void> {
  const immigration = await openDatabase({
    url: immigrationUrl,
    entities: subgraphs.immigration.entities,
    migrations: subgraphs.immigration.migrations,
  });
  try {
    const summary = await linkPoliceRecords(
      { police, immigration: immigration.dataSource },
      { thresholds: thresholdsFromEnv() },
    );
    log(
      `Entity resolution: ${summary.records} records without passport scored: ${summary.autoLinked} linked, ${summary.review} to review, ${summary.noMatch} without a match`,
    );
  } finally {
    await immigration.dataSource.destroy();
  }
}

const CLI = {
  command: 'npm run import --',
  summary: `Loads one agency's CSV file into its database.\n\n${fileTypes()}`,
  options: {
    agency: { type: 'string', value: 'AGENCY', description: `whose records (${Object.keys(IMPORTS).join(', ')})` },
    file: { type: 'string', value: 'FILE.csv', description: 'the CSV file' },
    type: { type: 'string', value: 'TYPE', description: "the record type, when the file's name does not say it" },
    'batch-size': { type: 'string', value: 'N', description: `rows per transaction (default ${DEFAULT_IMPORT_BATCH})` },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  if (!values.agency || !values.file) throw new UsageError('--agency and --file are required');
  const type = recordTypeOf(values.agency, values.file, values.type);
  const batchSize = numberOption('batch-size', values['batch-size'], 0, { integer: true, min: 1 }) || undefined;
  const url = loadConfig().databaseUrls[type.agency as SubgraphName];
  console.log(`Importing ${path.basename(values.file)} as ${type.agency} ${type.name} into ${redactUrl(url)}`);
  const summary = await runImport(url, type, values.file, {
    batchSize,
    identityDatabaseUrl: loadConfig().databaseUrls.immigration,
  });
  for (const problem of summary.problems)
    console.log(`${problem.file}:${problem.line}: ${problem.column}: ${problem.reason}`);
  console.log(
    `Done: ${summary.read} read, ${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected`,
  );
  if (summary.rejected > 0) process.exitCode = 2;
}

/** Each agency's file types and their columns (optional ones in brackets), for --help. */
function fileTypes(): string {
  return Object.entries(IMPORTS)
    .flatMap(([agency, types]) =>
      types!.map(
        (type) =>
          `${agency} ${type.name}: ${type.description}\n  columns: ${type.columns.map((column) => (column.required ? column.name : `[${column.name}]`)).join(', ')}`,
      ),
    )
    .join('\n');
}

if (require.main === module)
  runTool(
    () =>
      main().catch((error) => {
        // A file whose header is wrong is the user's to fix: its message says how.
        throw error instanceof HeaderError ? new ConfigError(error.message) : error;
      }),
    { failure: 'Import failed' },
  );
