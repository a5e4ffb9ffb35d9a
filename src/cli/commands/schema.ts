import { builtins } from '../../api/builtins.js';
import { pipelineJsonSchema } from '../../pipeline/schema.js';

export async function schemaCommand(): Promise<void> {
  process.stdout.write(`${JSON.stringify(pipelineJsonSchema(builtins), null, 2)}\n`);
}
