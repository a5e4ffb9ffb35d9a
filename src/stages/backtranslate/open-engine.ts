import { DvctsError } from '../../core/errors.js';
import { ApertiumCli } from './apertium-cli.js';
import { DEFAULT_URLS, type BacktranslateOptions } from './definition.js';
import type { RoundTripEngine } from './engine.js';
import { HttpClient } from './http-client.js';
import { ApyEngine, LibreTranslateEngine } from './http-engines.js';

/** The engine the options ask for; fails early (before reading any row) if it cannot work. */
export async function openEngine(options: BacktranslateOptions): Promise<RoundTripEngine> {
  const languages = { source: options.source, pivot: options.pivot };
  if (options.engine === 'apertium') return ApertiumCli.open(options.source, options.pivot);
  const http = new HttpClient({ timeoutMs: options.timeout_ms, retries: options.retries, backoffMs: 250 });
  if (options.engine === 'apy') return new ApyEngine(options.url ?? DEFAULT_URLS.apy, languages, http);
  return new LibreTranslateEngine(options.url ?? DEFAULT_URLS.libretranslate, languages, http, apiKeyFrom(options.api_key_env));
}

/** The API key from the environment variable the YAML names; never from the YAML itself. */
function apiKeyFrom(variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const key = process.env[variable];
  if (key === undefined || key === '') {
    throw new DvctsError('E_API_KEY_MISSING', `environment variable ${variable} (named by api_key_env) is not set`, {
      data: { option: 'api_key_env', variable },
      hint: `export ${variable}=<your LibreTranslate API key> before running, or remove api_key_env for a server without keys`,
    });
  }
  return key;
}
