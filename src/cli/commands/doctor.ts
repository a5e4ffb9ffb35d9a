import { doctor } from '../../api/doctor.js';
import { renderTable } from '../../report/render-table.js';

export async function doctorCommand(opts: { json?: boolean }): Promise<void> {
  const r = await doctor();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const sharp = 'error' in r.sharp ? `does not load: ${r.sharp.error}` : `${r.sharp.sharp} (libvips ${r.sharp.libvips})`;
  const lines = [
    `dvcts    ${r.dvcts}`,
    `node     ${r.node} on ${r.os}${r.glibc ? `, glibc ${r.glibc}` : ''}, ${r.cpus} CPU(s)`,
    `tfjs     ${r.tfjs}`,
    `sharp    ${sharp}`,
    `GPUs     ${r.nvidiaGpus.length > 0 ? `NVIDIA: ${r.nvidiaGpus.join(', ')}` : 'no NVIDIA GPU'}; Vulkan loader: ${r.vulkanLoader ?? 'none'}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  // The detail is whole here: it is the answer to "why not".
  const rows = r.backends.map((b) => [b.backend, yes(b.auto), yes(b.forced), b.detail]);
  process.stdout.write(renderTable(['backend', 'auto', 'forced', 'detail'], rows, 'text', { wrap: false }));
  process.stdout.write(`\nbackend: auto picks ${r.auto} here.\n`);
}
