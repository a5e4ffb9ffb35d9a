// The cache uses the project's one atomic-write implementation.
export { replaceAtomic, tempPathBeside, writeFileAtomic } from '../util/atomic-write.js';
