// The cache uses the project's one atomic-write implementation.
export { replaceAtomic, sequentialTempPath, tempPathBeside, writeFileAtomic } from '../util/atomic-write.js';
