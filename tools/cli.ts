import { parseArgs, ParseArgsConfig } from 'node:util';
import { ConfigError } from '../lib/errors';

/**
 * The command line of every tool, one way: node:util's parseArgs with a description per option,
 * from which `--help` (exit 0) is printed. A bad command line (an unknown flag, a missing or
 * malformed value, a value out of range) is one line on standard error and exit 2, never a stack.
 */
export class UsageError extends Error {}

type ParseArgsOption = NonNullable<ParseArgsConfig['options']>[string];

export type CliOption = ParseArgsOption & {
  /** One line for --help. */
  description: string;
  /** What the value is called in --help (`--persons N`); strings only. */
  value?: string;
};

export interface Cli<T extends Record<string, CliOption>> {
  /** How it is called, without options: `npm run -s token --`. */
  command: string;
  /** What it does, for --help. */
  summary: string;
  options: T;
  /** What the positional arguments are (`[agency …]`), when it takes any. */
  positionals?: string;
}

const HELP = { type: 'boolean', short: 'h', description: 'print this help' } as const;

type Parsed<T extends Record<string, CliOption>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** The tool's options and positionals; prints the help and exits on --help. */
export function parseCommandLine<T extends Record<string, CliOption>>(
  cli: Cli<T>,
  args = process.argv.slice(2),
): Parsed<T> {
  const options = { ...cli.options, help: HELP };
  let parsed: Parsed<T>;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options,
      allowPositionals: !!cli.positionals,
      strict: true,
    }) as Parsed<T>;
  } catch (error) {
    // parseArgs explains on several lines; its first says what is wrong.
    throw new UsageError(
      String((error as Error).message)
        .split('\n')[0]
        .replace(/\. To specify .*$/, ''),
    );
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage(cli));
    process.exit(0);
  }
  return parsed;
}

/** `--hours -1` is the value -1 (parseArgs would take it for a flag): the range check then names it. */
function joinNegativeValues(args: string[], options: Record<string, CliOption>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const name = /^--([^=]+)$/.exec(args[i])?.[1];
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) {
      joined.push(`${args[i]}=${args[i + 1]}`);
      i += 1;
    } else joined.push(args[i]);
  }
  return joined;
}

export function usage<T extends Record<string, CliOption>>(cli: Cli<T>): string {
  const options = { ...cli.options, help: HELP } as Record<string, CliOption>;
  const flags = Object.entries(options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '';
    const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
    return [`${short}--${name}${value}`, option.description];
  });
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return [
    `Usage: ${cli.command} [options]${cli.positionals ? ` ${cli.positionals}` : ''}`,
    cli.summary,
    '',
    ...flags.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
  ].join('\n');
}

export interface NumberRule {
  /** Whole numbers only (`_` separators allowed: 100_000). */
  integer?: boolean;
  /** The smallest allowed value. */
  min?: number;
  /** Values must be more than this (for "more than 0"). */
  above?: number;
  max?: number;
  /** Said after the range, e.g. where the maximum comes from. */
  note?: string;
}

/** An option's number, or `fallback` when it was not given; a UsageError names the real range. */
export function numberOption(flag: string, raw: string | undefined, fallback: number, rule: NumberRule = {}): number {
  if (raw === undefined) return fallback;
  const value = raw.trim() === '' ? NaN : Number(rule.integer ? raw.replace(/_/g, '') : raw);
  const fits =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!fits) throw new UsageError(`--${flag} takes ${describeRange(rule)}, got "${raw}"`);
  return value;
}

function describeRange(rule: NumberRule): string {
  const bounds = [
    rule.min !== undefined && `from ${rule.min}`,
    rule.above !== undefined && `more than ${rule.above}`,
    rule.max !== undefined && (rule.min !== undefined ? `to ${rule.max}` : `at most ${rule.max}`),
  ].filter(Boolean);
  const range = `${rule.integer ? 'a whole number' : 'a number'}${bounds.length ? ` ${bounds.join(rule.min !== undefined ? ' ' : ' and ')}` : ''}`;
  return rule.note ? `${range} (${rule.note})` : range;
}

/** A comma-separated option whose every item is one of `allowed`. */
export function listOption<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (unknown.length || items.length === 0)
    throw new UsageError(`--${flag} takes a comma-separated list of ${allowed.join(', ')}, got "${raw}"`);
  return items as T[];
}

/** A comma-separated list of numbers, each as `rule` says. */
export function numberListOption(flag: string, raw: string, rule: NumberRule): number[] {
  return raw.split(',').map((item) => numberOption(flag, item, 0, rule));
}

export interface RunOptions {
  /** Said before the message of an error that is not a usage or configuration error. */
  failure?: string;
  /** Exit code of such a failure (default 1). */
  exitCode?: number;
}

/**
 * Runs a tool's main: a usage error is one line and exit 2, a configuration error one line and
 * exit 1; any other error is printed whole (a stack helps there) unless the tool names its failure.
 */
export function runTool(main: () => Promise<void>, options: RunOptions = {}): void {
  main().catch((error) => {
    if (error instanceof UsageError) {
      console.error(`${error.message} (--help for usage)`);
      process.exit(2);
    }
    if (error instanceof ConfigError) console.error(error.message);
    else if (options.failure) console.error(`${options.failure}: ${(error as Error).message}`);
    else console.error(error);
    process.exit(options.exitCode ?? 1);
  });
}

/** A whole number of 1 or more (counts, seconds, clients) from an option with a default. */
export function countOption(flag: string, raw: string): number {
  return numberOption(flag, raw, NaN, { integer: true, min: 1 });
}
