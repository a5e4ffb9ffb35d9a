import { defineErrors, type CodesOf } from '../../core/error-catalogue.js';

export const BACKTRANSLATE_ERRORS = defineErrors('uses: backtranslate', {
  E_OPTION_UNUSED: { meaning: 'an option that has no effect with the other options chosen (`url` with apertium, a text option on an image `train`, `quality` with png in `image`)', hint: 'remove it, or change the option that decides (`engine:`, `task:`)' },
  E_API_KEY_ENV_NAME: { meaning: '`api_key_env` is not an environment variable name (probably the key itself)', hint: 'export LT_API_KEY=... and write `api_key_env: LT_API_KEY`' },
  E_API_KEY_MISSING: { meaning: 'the environment variable named by `api_key_env` is not set', hint: 'export it before running', data: { option: 'string', variable: 'string' } },
  E_ENGINE_AUTH: { meaning: 'the translation server refused the API key', hint: 'set a valid key in the variable named by `api_key_env`', data: { engine: 'string', url: 'string', status: 'number' } },
  E_ENGINE_UNREACHABLE: { meaning: 'the translation server gave no answer after the retries', hint: 'check that it runs at `url:`; raise timeout_ms or retries for a slow one', data: { url: 'string', attempts: 'number', problem: 'string' } },
  E_ENGINE_HTTP: { meaning: 'the translation server gave an unexpected answer', hint: 'check that `engine:` matches the server at `url:`', data: { engine: 'string', url: 'string', status: 'number?', body: 'string' } },
  E_ENGINE_FAILED: { meaning: 'the apertium command failed (its stderr is in the message)', hint: 'run the same direction by hand (echo hello | apertium eng-spa)', data: { engine: 'string', exitCode: 'number?', stderr: 'string' } },
});

declare module '../../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof BACKTRANSLATE_ERRORS> {}
}
