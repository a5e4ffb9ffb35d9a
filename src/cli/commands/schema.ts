import { pipelineJsonSchema } from '../../pipeline/schema.js';

export async function schemaCommand(): Promise<void> {
  process.stdout.write(`${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
}
