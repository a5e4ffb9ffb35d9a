/**
 * Decoded 8-bit pixels, interleaved: 1 channel (grey) or 3 (sRGB). Every op takes and returns
 * one; sharp decodes, resizes, rotates and encodes, the cheap geometry below runs in JS.
 */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/** Centres the image on a black canvas at least `width` x `height` (unchanged when it is big enough). */
export function padTo(img: RawImage, width: number, height: number): RawImage {
  if (img.width >= width && img.height >= height) return img;
  const w = Math.max(width, img.width);
  const h = Math.max(height, img.height);
  const data = Buffer.alloc(w * h * img.channels); // zero bytes: black
  const left = Math.floor((w - img.width) / 2);
  const top = Math.floor((h - img.height) / 2);
  const rowBytes = img.width * img.channels;
  for (let y = 0; y < img.height; y++) {
    img.data.copy(data, ((top + y) * w + left) * img.channels, y * rowBytes, (y + 1) * rowBytes);
  }
  return { data, width: w, height: h, channels: img.channels };
}

/** The `width` x `height` window whose top-left corner is (`left`, `top`); it must fit. */
export function cropAt(img: RawImage, left: number, top: number, width: number, height: number): RawImage {
  if (left === 0 && top === 0 && width === img.width && height === img.height) return img;
  const data = Buffer.allocUnsafe(width * height * img.channels);
  const rowBytes = width * img.channels;
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * img.width + left) * img.channels;
    img.data.copy(data, y * rowBytes, from, from + rowBytes);
  }
  return { data, width, height, channels: img.channels };
}

/** The centred `width` x `height` window (the image is at least that big). */
export function cropCentre(img: RawImage, width: number, height: number): RawImage {
  return cropAt(img, Math.floor((img.width - width) / 2), Math.floor((img.height - height) / 2), width, height);
}

/** Mirror left-right (`horizontal`) and/or top-bottom. */
export function mirror(img: RawImage, horizontal: boolean, vertical: boolean): RawImage {
  if (!horizontal && !vertical) return img;
  const { width, height, channels } = img;
  const data = Buffer.allocUnsafe(img.data.length);
  for (let y = 0; y < height; y++) {
    const fromRow = (vertical ? height - 1 - y : y) * width;
    for (let x = 0; x < width; x++) {
      const from = (fromRow + (horizontal ? width - 1 - x : x)) * channels;
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[to + c] = img.data[from + c] as number;
    }
  }
  return { data, width, height, channels };
}
