import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from './app-config';

const LEVELS: Record<AppConfig['http']['logLevel'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/** The Nest logger both processes use: LOG_LEVEL filters, LOG_FORMAT=json gives one JSON object per line. */
export function createLogger(config: AppConfig, context: string): ConsoleLogger {
  return new ConsoleLogger(context, { json: config.http.json, logLevels: LEVELS[config.http.logLevel] });
}
