// Photo-like JPEGs for the image benchmark: a few base pictures (gradients, shapes, film grain)
// of mixed sizes up to 2560x1600, each written many times with a unique JPEG comment so every
// file has its own content id while decoding costs what a real photo of that size costs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

const SIZES = [
  [2560, 1600], [1920, 1080], [1600, 1200], [1280, 720], [1024, 768], [800, 600],
  [640, 480], [1200, 1600], [1080, 1920], [2048, 1536], [960, 640], [1440, 1080],
];

async function basePhoto(width, height, i) {
  const hue = (i * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},55%,30%)"/><stop offset="1" stop-color="hsl(${(hue + 90) % 360},45%,70%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.35}" cy="${height * 0.5}" r="${Math.min(width, height) * 0.3}" fill="hsl(${(hue + 180) % 360},60%,50%)"/>
    <rect x="${width * 0.6}" y="${height * 0.15}" width="${width * 0.25}" height="${height * 0.6}" fill="hsl(${(hue + 240) % 360},40%,80%)"/>
  </svg>`;
  const grain = await sharp({ create: { width, height, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 18 } } }).png().toBuffer();
  return sharp(Buffer.from(svg)).composite([{ input: grain, blend: 'overlay' }]).jpeg({ quality: 85 }).toBuffer();
}

/** A copy of a JPEG with a COM segment right after SOI: new bytes, same pixels. */
function withComment(jpeg, text) {
  const body = Buffer.from(text);
  const segment = Buffer.alloc(4 + body.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** Writes `count` photos as `<dir>/<label>/<n>.jpg` over `labels` folders; returns their total bytes. */
export async function writePhotos(dir, count, { labels = 4, bases = SIZES.length, start = 0 } = {}) {
  const photos = [];
  for (let i = 0; i < bases; i++) photos.push(await basePhoto(...SIZES[i % SIZES.length], i));
  let bytes = 0;
  for (let n = start; n < start + count; n++) {
    const label = `class${n % labels}`;
    await mkdir(join(dir, label), { recursive: true });
    const file = withComment(photos[n % photos.length], `dvcts bench photo ${n}`);
    await writeFile(join(dir, label, `${String(n).padStart(5, '0')}.jpg`), file);
    bytes += file.length;
  }
  return bytes;
}
