import { Foundation1763900000000 } from './1763900000000-Foundation';

/** Every migration in order; listed explicitly so ts-jest, ts sources and dist load the same set. */
export const MIGRATIONS = [Foundation1763900000000];
