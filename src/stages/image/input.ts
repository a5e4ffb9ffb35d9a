import { realpath, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { optionFilePath } from '../../table/stage-tables.js';
import type { StageContext } from '../../core/builtin.js';
import type { ImageOptions } from './definition.js';
import { inheritedPreprocess, SOURCE_DEFAULT, type Preprocess } from './preprocess.js';
import { folderSources, manifestSources, type Sources } from './sources.js';

export interface Input {
  readonly sources: Sources;
  /** Where the pixels start: the defaults, or the preprocess.json of the manifest's image folder. */
  readonly preprocess: Preprocess;
  /** Manifest input: the real image folder every source must stay inside. */
  readonly confine: { readonly confineTo?: string };
  /** The input as the user named it (project-relative). */
  readonly shownAs: string;
}

/**
 * The stage's input: its one dep, a `<label>/<file>` folder; or, with `images:`, a manifest-shaped
 * table dep whose `path` column is relative to the `images` folder (the other dep).
 */
export async function openInput(ctx: StageContext<ImageOptions>): Promise<Input> {
  const images = ctx.options.images;
  if (images === undefined) {
    const dir = ctx.deps[0] as string;
    const shownAs = relative(ctx.root, dir);
    if (!(await stat(dir)).isDirectory()) {
      throw new DvctsError('E_IMAGE_INPUT_KIND', `${shownAs} is a file; the image stage reads a folder of <label>/<file> images`, {
        data: { path: shownAs },
        hint: "to read a manifest (e.g. a split's train.csv), add `images: <the folder its paths are relative to>` and list that folder in deps",
      });
    }
    return { sources: await folderSources(ctx.root, dir), preprocess: SOURCE_DEFAULT, confine: {}, shownAs };
  }
  const imagesDir = optionFilePath(ctx.wdir, images);
  const manifest = ctx.deps.find((d) => resolve(d) !== resolve(imagesDir)) as string;
  const shownAs = relative(ctx.root, manifest);
  if ((await stat(manifest)).isDirectory()) {
    throw new DvctsError('E_IMAGE_INPUT_KIND', `${shownAs} is a folder; with \`images:\` the other dep must be a manifest (CSV, TSV or JSONL)`, {
      data: { path: shownAs },
      hint: 'list the manifest (e.g. datasets/images/splits/train.csv) and the image folder as the two deps',
    });
  }
  return {
    sources: await manifestSources(ctx.root, manifest, imagesDir),
    preprocess: await inheritedPreprocess(imagesDir, relative(ctx.root, imagesDir)),
    confine: { confineTo: await realpath(imagesDir) },
    shownAs,
  };
}
