/** Project-relative posix path relations used to connect deps to outs (the one definition lives with the path rule). */
export { isWithin } from '../core/path-rule.js';
