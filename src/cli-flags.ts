// Flag value parsing shared by the CLI's parts: numbers and lists, with errors that name the flag.
import { ConfigError } from './errors.js';

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${flag} expects a positive whole number, got "${value}"`);
  return n;
}

export function wholeNumber(value: string | undefined, flag: string): number | undefined {
  return value === '0' ? 0 : positiveInt(value, flag);
}

export function commaList(value: string | undefined): string[] | undefined {
  return value?.split(',').map((v) => v.trim()).filter(Boolean);
}
