// The cache uses the project's one atomic-write implementation.
export { replaceAtomic, sequentialTempName, sequentialTempPath, tempPathBeside, writeFileAtomic } from '../util/atomic-write.js';
