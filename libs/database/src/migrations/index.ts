import { InitialSchema1764320000000 } from './1764320000000-initial-schema';
import { RequesterTextable1764500000000 } from './1764500000000-requester-textable';
import { Identity1764680000000 } from './1764680000000-identity';

/** Every migration, in order. Listed explicitly so bundling or compiling never misses one. */
export const MIGRATIONS = [InitialSchema1764320000000, RequesterTextable1764500000000, Identity1764680000000];
