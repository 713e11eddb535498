/**
 * Catalog introspection and server-side cooking of expressions. See introspect.ts and cook-model.ts.
 */
export { introspect, type IntrospectOptions } from './introspect';
export { cookModel } from './cook-model';
export { serverVersionNum, estimateRows } from './server-info';
export { BOOKKEEPING_TABLES } from './bookkeeping-tables';
